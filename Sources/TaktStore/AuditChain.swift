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

    /// The text an entry's hash covers: its sequence number, its simulated time, the
    /// wall-clock time it was recorded and every field, each written as its UTF-8 byte count, a colon and its bytes (`2:40` `6:3600.5`
    /// `3:spc` …). The counts make the encoding unambiguous: no character in a name — a tab, a
    /// colon, a NUL — can move data from one field into the next without changing the hash.
    public static func canonical(
        sequence: Int, time: Double, recorded: String, actor: String, action: String, subject: String, reason: String,
        old: String,
        new: String
    ) -> String {
        var out = ""
        out.reserveCapacity(actor.utf8.count + subject.utf8.count + reason.utf8.count + 64)
        for field in ["\(sequence)", "\(time)", recorded, actor, action, subject, reason, old, new] {
            out += "\(field.utf8.count):"
            out += field
        }
        return out
    }
}
