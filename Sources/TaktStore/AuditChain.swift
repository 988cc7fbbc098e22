import Crypto
import Foundation

/// The hash chain of the audit trail: each entry's hash is SHA-256 of the previous entry's
/// hash and the entry's canonical text, so editing, deleting, inserting or reordering an
/// entry breaks every hash from there on.
public enum AuditChain {
    /// The hash before the first entry: 32 zero bytes, in hex.
    public static let genesis = String(repeating: "0", count: 64)

    /// The hash (lower-case hex) of an entry whose canonical text is `record`, after `previous`.
    public static func hash(previous: String, record: String) -> String {
        var hasher = SHA256()
        var previous = previous
        var record = record
        // Straight from the strings' UTF-8 storage: no `Data` copies, no generic casts.
        previous.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        withUnsafeBytes(of: UInt8(0x0A)) { hasher.update(bufferPointer: $0) }
        record.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        let digest = hasher.finalize()
        return String(unsafeUninitializedCapacity: 64) { hex in
            var index = 0
            digest.withUnsafeBytes { bytes in
                for byte in bytes {
                    hex[index] = hexDigits[Int(byte >> 4)]
                    hex[index + 1] = hexDigits[Int(byte & 0x0F)]
                    index += 2
                }
            }
            return index
        }
    }

    static let hexDigits = Array("0123456789abcdef".utf8)

    /// The text an entry's hash covers: its sequence number and every field, tab-separated.
    public static func canonical(
        sequence: Int, time: Double, actor: String, action: String, subject: String, reason: String, old: String,
        new: String
    ) -> String {
        "\(sequence)\t\(time)\t\(actor)\t\(action)\t\(subject)\t\(reason)\t\(old)\t\(new)"
    }
}
