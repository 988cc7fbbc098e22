import Foundation

#if canImport(Glibc)
    import Glibc
    private let systemWrite = Glibc.write
    private let systemClose = Glibc.close
#elseif canImport(Darwin)
    import Darwin
    private let systemWrite = Darwin.write
    private let systemClose = Darwin.close
#endif

/// A file that cannot be written: its path and the system's reason.
public struct OutputFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// An output file written through a buffer of 1 MiB: fields are appended as bytes and go to
/// the disk a block at a time, so writing millions of rows needs neither a `String` per row
/// nor memory that grows with the rows. Noncopyable, so the buffer has one owner and
/// appending is a bounds check and a copy.
public struct BufferedFile: ~Copyable {
    private let buffer: UnsafeMutablePointer<UInt8>
    private var count = 0
    private var descriptor: Int32
    private let path: String
    private var failure: OutputFileError?
    private static let blockSize = 1 << 20
    private static let capacity = blockSize + 4_096
    /// The room a number, an integer or a byte may need.
    private static let fieldRoom = 64

    /// Creates (or truncates) the file at `path`.
    public init(creating path: String) throws(OutputFileError) {
        self.path = path
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw OutputFileError("\(path): cannot be created (\(Self.reason()))") }
        buffer = .allocate(capacity: Self.capacity)
    }

    deinit {
        if descriptor >= 0 { _ = systemClose(descriptor) }
        buffer.deallocate()
    }

    /// Appends `text`'s UTF-8 bytes.
    public mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { append($0) }
    }

    /// Appends `bytes`.
    public mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        var offset = 0
        while offset < bytes.count {
            let part = min(bytes.count - offset, Self.capacity - Self.fieldRoom - count)
            (buffer + count).update(from: bytes.baseAddress! + offset, count: part)
            count += part
            offset += part
            if count >= Self.capacity - Self.fieldRoom { writeBlock() }
        }
    }

    /// Appends the name `index` of `names`.
    public mutating func append(_ names: CSVNames, _ index: Int) {
        append(names.bytes(index))
    }

    /// Appends one byte.
    @inline(__always)
    public mutating func append(byte: UInt8) {
        makeRoom()
        buffer[count] = byte
        count += 1
    }

    /// Appends a comma.
    @inline(__always)
    public mutating func comma() { append(byte: UInt8(ascii: ",")) }

    /// Appends `value` with `decimals` decimals, as `%.Nf` writes it.
    public mutating func number(_ value: Double, decimals: Int) {
        guard DecimalText.isFast(value) else {
            append(DecimalText.printf(value, decimals: decimals))
            return
        }
        makeRoom()
        count += DecimalText.write(value, decimals: decimals, to: buffer + count)
    }

    /// Appends `value`'s digits, with its sign.
    public mutating func integer(_ value: Int) {
        if value < 0 { append(byte: UInt8(ascii: "-")) }
        makeRoom()
        count += DecimalText.writeInteger(UInt64(value.magnitude), to: buffer + count)
    }

    /// Ends a row with a line feed, and writes the buffer out once it holds a block.
    public mutating func endRow() throws(OutputFileError) {
        append(byte: UInt8(ascii: "\n"))
        if let failure { throw failure }
        if count >= Self.blockSize { try flush() }
    }

    /// Writes out what is pending.
    public mutating func flush() throws(OutputFileError) {
        var written = 0
        while written < count {
            let result = systemWrite(descriptor, buffer + written, count - written)
            if result < 0 {
                if errno == EINTR { continue }
                throw OutputFileError("\(path): cannot be written (\(Self.reason()))")
            }
            written += result
        }
        count = 0
    }

    /// Writes out what is pending and closes the file.
    public mutating func close() throws(OutputFileError) {
        if let failure { throw failure }
        try flush()
        let status = systemClose(descriptor)
        descriptor = -1
        guard status == 0 else { throw OutputFileError("\(path): cannot be closed (\(Self.reason()))") }
    }

    /// Keeps room for one more fixed-size field (a row longer than the spare room is written
    /// out in the middle).
    @inline(__always)
    private mutating func makeRoom() {
        if count > Self.capacity - Self.fieldRoom { writeBlock() }
    }

    /// Writes the buffer out in the middle of a row; an error is kept for ``endRow()`` and
    /// ``close()`` to report.
    private mutating func writeBlock() {
        do { try flush() } catch { failure = error }
    }

    private static func reason() -> String { String(cString: strerror(errno)) }
}

/// Names (stations, machines, orders) as CSV cells, turned into bytes once and kept in one
/// block, so a row copies them without reference counting.
public final class CSVNames {
    private let storage: UnsafeMutableBufferPointer<UInt8>
    private let starts: [Int]

    public init(_ names: [String]) {
        let texts = names.map { Array(CSVCell.escaped($0).utf8) }
        storage = .allocate(capacity: max(1, texts.reduce(0) { $0 + $1.count }))
        var starts = [0]
        for text in texts {
            _ = UnsafeMutableBufferPointer(rebasing: storage[starts.last!...]).initialize(from: text)
            starts.append(starts.last! + text.count)
        }
        self.starts = starts
    }

    deinit { storage.deallocate() }

    /// How many names there are.
    public var count: Int { starts.count - 1 }

    /// The bytes of name `index`.
    public func bytes(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: storage[starts[index]..<starts[index + 1]])
    }
}
