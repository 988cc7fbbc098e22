import Crypto
import Foundation

/// A SHA-256 value held in four words, so chaining a row allocates nothing.
struct ChainHash: Equatable, Sendable {
    var words: (UInt64, UInt64, UInt64, UInt64)

    static func == (a: ChainHash, b: ChainHash) -> Bool { a.words == b.words }

    init(_ digest: SHA256.Digest) {
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        digest.withUnsafeBytes { source in
            withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: source) }
        }
        self.words = words
    }

    /// The hash of `bytes` (32 of them), or nil when there are not 32.
    init?(bytes: UnsafeRawBufferPointer) {
        guard bytes.count == 32 else { return nil }
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: bytes) }
        self.words = words
    }

    /// The hash whose lower-case hex text is `hex`, or nil when it is not 64 hex digits.
    init?(hex: String) {
        var hex = hex
        guard let hash = hex.withUTF8({ ChainHash(hexBytes: UnsafeRawBufferPointer($0)) }) else { return nil }
        self = hash
    }

    /// The hash whose lower-case hex text's UTF-8 bytes are `hexBytes`.
    init?(hexBytes digits: UnsafeRawBufferPointer) {
        guard digits.count == 64 else { return nil }
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        let valid = withUnsafeMutableBytes(of: &words) { bytes in
            for index in 0..<32 {
                guard let high = Self.nibble(digits[2 * index]), let low = Self.nibble(digits[2 * index + 1]) else {
                    return false
                }
                bytes[index] = high << 4 | low
            }
            return true
        }
        guard valid else { return nil }
        self.words = words
    }

    static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        default: nil
        }
    }

    /// The first hash of a table's chain: SHA-256 of `takt trace store: TABLE`, so a chain
    /// copied from one table into another does not verify there.
    static func genesis(of table: String) -> ChainHash {
        ChainHash(SHA256.hash(data: Data("takt trace store: \(table)".utf8)))
    }

    static let hexDigits = Array("0123456789abcdef".utf8)

    /// Lower-case hex.
    var hex: String {
        withUnsafeBytes(of: words) { bytes in
            String(unsafeUninitializedCapacity: 64) { out in
                for (index, byte) in bytes.enumerated() {
                    out[2 * index] = ChainHash.hexDigits[Int(byte >> 4)]
                    out[2 * index + 1] = ChainHash.hexDigits[Int(byte & 0x0F)]
                }
                return 64
            }
        }
    }

    func withBytes<T>(_ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        try withUnsafeBytes(of: words, body)
    }
}

/// The bytes a sealed row's hash covers: each value with a type tag, fixed-width numbers
/// and length-prefixed text, so no value can be read as part of its neighbour.
///
/// Tags: 0 NULL; 1 integer, 8 bytes little-endian; 2 real, the IEEE 754 bits as 8 bytes
/// little-endian; 3 text, its UTF-8 byte count as 4 bytes little-endian, then the bytes;
/// 4 blob, the same way. A row's hash is SHA-256 of the hash before it (32 bytes) and its
/// values in column order.
///
/// One buffer, reused row after row: the previous hash sits in its first 32 bytes, so a row
/// is hashed in one call, and encoding allocates nothing.
final class RowEncoding {
    private var start: UnsafeMutableRawPointer
    private var capacity: Int
    /// Bytes used, the 32 of the previous hash included.
    private var end = 32

    init() {
        capacity = 1_024
        start = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
    }

    deinit { start.deallocate() }

    /// The encoded values (without the previous hash).
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: start + 32, count: end - 32) }

    func reset() { end = 32 }

    private func reserve(_ count: Int) {
        guard end + count > capacity else { return }
        var grown = capacity * 2
        while grown < end + count { grown *= 2 }
        let larger = UnsafeMutableRawPointer.allocate(byteCount: grown, alignment: 16)
        larger.copyMemory(from: start, byteCount: end)
        start.deallocate()
        start = larger
        capacity = grown
    }

    private func tagged(_ tag: UInt8, _ word: UInt64) {
        reserve(9)
        start.storeBytes(of: tag, toByteOffset: end, as: UInt8.self)
        start.storeBytes(of: word.littleEndian, toByteOffset: end + 1, as: UInt64.self)
        end += 9
    }

    func null() {
        reserve(1)
        start.storeBytes(of: 0, toByteOffset: end, as: UInt8.self)
        end += 1
    }

    func integer(_ value: Int64) { tagged(1, UInt64(bitPattern: value)) }

    /// A number as SQLite keeps it: NaN is stored as NULL and −0 as 0, so they are encoded so.
    func real(_ value: Double) {
        guard !value.isNaN else { return null() }
        tagged(2, (value == 0 ? 0 : value).bitPattern)
    }

    func text(_ value: UnsafeRawBufferPointer) { lengthPrefixed(3, value) }

    func blob(_ value: UnsafeRawBufferPointer) { lengthPrefixed(4, value) }

    func text(_ value: String) {
        var value = value
        value.withUTF8 { text(UnsafeRawBufferPointer($0)) }
    }

    private func lengthPrefixed(_ tag: UInt8, _ value: UnsafeRawBufferPointer) {
        reserve(5 + value.count)
        start.storeBytes(of: tag, toByteOffset: end, as: UInt8.self)
        start.storeBytes(of: UInt32(value.count).littleEndian, toByteOffset: end + 1, as: UInt32.self)
        if let source = value.baseAddress, value.count > 0 {
            (start + end + 5).copyMemory(from: source, byteCount: value.count)
        }
        end += 5 + value.count
    }

    /// Appends bytes as they are, for a text encoding of one's own (the audit trail's).
    func raw(_ value: UnsafeRawBufferPointer) {
        reserve(value.count)
        if let source = value.baseAddress, value.count > 0 {
            (start + end).copyMemory(from: source, byteCount: value.count)
        }
        end += value.count
    }

    func raw(byte: UInt8) {
        reserve(1)
        start.storeBytes(of: byte, toByteOffset: end, as: UInt8.self)
        end += 1
    }

    /// SHA-256 of the bytes appended since ``reset()`` alone.
    func digest() -> ChainHash {
        var hasher = SHA256()
        hasher.update(bufferPointer: bytes)
        return ChainHash(hasher.finalize())
    }

    /// The row's hash after `previous`.
    func hash(after previous: ChainHash) -> ChainHash {
        start.storeBytes(of: previous.words, as: (UInt64, UInt64, UInt64, UInt64).self)
        var hasher = SHA256()
        hasher.update(bufferPointer: UnsafeRawBufferPointer(start: start, count: end))
        return ChainHash(hasher.finalize())
    }
}
