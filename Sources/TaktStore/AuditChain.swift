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
        hasher.update(data: Data(previous.utf8))
        hasher.update(data: Data([0x0A]))
        hasher.update(data: Data(record.utf8))
        let digits = Array("0123456789abcdef".utf8)
        var hex = [UInt8]()
        hex.reserveCapacity(64)
        for byte in hasher.finalize() {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    /// The text an entry's hash covers: its sequence number and every field, tab-separated.
    public static func canonical(
        sequence: Int, time: Double, actor: String, action: String, subject: String, reason: String, old: String,
        new: String
    ) -> String {
        ["\(sequence)", "\(time)", actor, action, subject, reason, old, new].joined(separator: "\t")
    }
}
