import Crypto
import Foundation

/// The seal of a finished trace store: one SHA-256 over every table's row count and last
/// chained hash and over the whole `run` record. Whoever keeps the seal apart from the store
/// can tell a store that was re-chained after the run from the one the run wrote.
public enum StoreSeal {
    /// One table's chain as the seal covers it.
    public struct Chain: Equatable, Sendable {
        public var table: String
        public var rows: Int
        /// The last row's hash in hex (the chain's start when the table is empty).
        public var head: String
    }

    /// Keys of `run` the seal does not cover, because they hold the seal.
    static let sealKeys: Set<[UInt8]> = [
        Array("seal".utf8), Array("seal_signature".utf8), Array("seal_public_key".utf8),
    ]

    /// The seal over `chains` (in the order of ``TraceStore/Table``) and the `run` record's
    /// key–value pairs (any order; they are sorted by their UTF-8 bytes).
    ///
    /// The bytes hashed are ``RowEncoding``'s: the text `takt trace store seal 1`; per table
    /// its name, row count and head; the number of `run` pairs; each key and value.
    static func compute(chains: [Chain], run: [([UInt8], [UInt8])]) -> ChainHash {
        let encoding = RowEncoding()
        encoding.text("takt trace store seal 1")
        for chain in chains {
            encoding.text(chain.table)
            encoding.integer(Int64(chain.rows))
            encoding.text(chain.head)
        }
        let pairs = run.filter { !sealKeys.contains($0.0) }.sorted { $0.0.lexicographicallyPrecedes($1.0) }
        encoding.integer(Int64(pairs.count))
        for (key, value) in pairs {
            key.withUnsafeBytes { encoding.text($0) }
            value.withUnsafeBytes { encoding.text($0) }
        }
        return encoding.hash(after: ChainHash.genesis(of: "seal"))
    }
}

/// A store's seal as it is handed on: the hex seal, and the Ed25519 signature of it with the
/// signer's public key when the run was signed.
public struct SealRecord: Equatable, Sendable {
    public var seal: String
    public var signature: String?
    public var publicKey: String?

    public init(seal: String, signature: String? = nil, publicKey: String? = nil) {
        self.seal = seal
        self.signature = signature
        self.publicKey = publicKey
    }

    init(seal: String, signer: SealSigner?) {
        self.seal = seal
        if let signer {
            signature = signer.sign(seal)
            publicKey = signer.publicKey
        }
    }
}

/// Why a key, a seal file or a signature cannot be used.
public struct SealError: Error, CustomStringConvertible, Equatable {
    public var description: String
}

/// The sidecar `STORE.seal` a traced run writes beside its store: a few `key: value` lines
/// (`seal`, and `signature` and `public-key` when signed), meant to be kept apart from it.
public enum SealFile {
    /// The sidecar's path for the store at `store`.
    public static func path(of store: String) -> String { store + ".seal" }

    /// The sidecar's text.
    public static func text(_ record: SealRecord, store: String) -> String {
        var lines = [
            "# Takt trace store seal. Keep it apart from the store; check the store with",
            "#   takt audit verify \(store) --seal-file \(path(of: store))",
            "store: \((store as NSString).lastPathComponent)",
            "seal: \(record.seal)",
        ]
        if let signature = record.signature, let key = record.publicKey {
            lines += ["signature: \(signature)", "public-key: \(key)"]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes the sidecar for `store` (atomically: a whole file or none).
    public static func write(_ record: SealRecord, store: String) throws {
        try Data(text(record, store: store).utf8).write(to: URL(fileURLWithPath: path(of: store)), options: .atomic)
    }

    /// Reads a sidecar (or any file with a `seal:` line).
    public static func read(_ path: String) throws(SealError) -> SealRecord {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SealError(description: "\(path): cannot be read (no such file?)")
        }
        var fields: [String: String] = [:]
        for (number, line) in String(decoding: data, as: UTF8.self).split(separator: "\n").enumerated() {
            guard !line.hasPrefix("#"), let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            guard fields[key] == nil else {
                throw SealError(description: "\(path):\(number + 1): `\(key)` appears twice")
            }
            fields[key] = value
        }
        guard let seal = fields["seal"] else {
            throw SealError(
                description: "\(path): no `seal:` line; expected the STORE.seal file that `takt run --trace` wrote")
        }
        guard ChainHash(hex: seal) != nil else {
            throw SealError(description: "\(path): `seal: \(seal)` is not 64 lower-case hex digits")
        }
        return SealRecord(seal: seal, signature: fields["signature"], publicKey: fields["public-key"])
    }
}

/// Signs seals with an Ed25519 private key (RFC 8032), read from a PKCS #8 PEM file as
/// `openssl genpkey -algorithm ed25519` writes it.
public struct SealSigner: Sendable {
    /// The key's 32 bytes (swift-crypto's key type is not `Sendable`; it is made when signing).
    let raw: Data
    var key: Curve25519.Signing.PrivateKey {
        // The initialiser checked that the bytes make a key.
        try! Curve25519.Signing.PrivateKey(rawRepresentation: raw)
    }

    /// The key in `path`.
    public init(pemFile path: String) throws(SealError) {
        raw = try Ed25519PEM.read(path, label: "PRIVATE KEY", prefix: Ed25519PEM.privatePrefix, role: "private")
        do {
            _ = try Curve25519.Signing.PrivateKey(rawRepresentation: raw)
        } catch {
            throw SealError(description: "\(path): not a usable Ed25519 private key (\(error))")
        }
    }

    /// The public key in hex (32 bytes).
    public var publicKey: String { Ed25519PEM.hex(key.publicKey.rawRepresentation) }

    /// The public key as a PEM file (SubjectPublicKeyInfo), for `--verify-key`.
    public var publicKeyPEM: String { Ed25519PEM.pem(Ed25519PEM.publicPrefix + key.publicKey.rawRepresentation) }

    /// The signature (hex, 64 bytes) of the seal's 64 hex characters as ASCII bytes.
    func sign(_ seal: String) -> String {
        // Signing fails only for a key BoringSSL cannot use, which the initialiser refused.
        Ed25519PEM.hex((try? key.signature(for: Data(seal.utf8))) ?? Data())
    }
}

/// Checks seal signatures with an Ed25519 public key, read from a PEM file
/// (SubjectPublicKeyInfo, as `openssl pkey -pubout` writes it).
public struct SealVerifier: Sendable {
    /// The key's 32 bytes (swift-crypto's key type is not `Sendable`).
    let raw: Data
    var key: Curve25519.Signing.PublicKey {
        // The initialiser checked that the bytes make a key.
        try! Curve25519.Signing.PublicKey(rawRepresentation: raw)
    }

    public init(pemFile path: String) throws(SealError) {
        raw = try Ed25519PEM.read(path, label: "PUBLIC KEY", prefix: Ed25519PEM.publicPrefix, role: "public")
        do {
            _ = try Curve25519.Signing.PublicKey(rawRepresentation: raw)
        } catch {
            throw SealError(description: "\(path): not a usable Ed25519 public key (\(error))")
        }
    }

    /// The public key in hex.
    public var publicKey: String { Ed25519PEM.hex(key.rawRepresentation) }

    /// Whether `signature` (hex) signs `seal`.
    public func accepts(signature: String, of seal: String) -> Bool {
        guard let bytes = Ed25519PEM.bytes(hex: signature), bytes.count == 64 else { return false }
        return key.isValidSignature(bytes, for: Data(seal.utf8))
    }
}

/// Ed25519 keys in PEM (RFC 8410 §7): the DER of both kinds is a fixed prefix and the 32 key bytes.
enum Ed25519PEM {
    /// PKCS #8 `PrivateKeyInfo` with the algorithm id-Ed25519 (1.3.101.112) and a 32-byte key.
    static let privatePrefix = Data([
        0x30, 0x2E, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
    ])
    /// `SubjectPublicKeyInfo` with id-Ed25519 and a 32-byte key.
    static let publicPrefix = Data([0x30, 0x2A, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x03, 0x21, 0x00])

    /// The 32 key bytes of the PEM file at `path`, whose block is `label` and whose DER
    /// starts with `prefix`.
    static func read(_ path: String, label: String, prefix: Data, role: String) throws(SealError) -> Data {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SealError(description: "\(path): cannot be read (no such file?)")
        }
        let text = String(decoding: data, as: UTF8.self)
        let begin = "-----BEGIN \(label)-----"
        let end = "-----END \(label)-----"
        guard let start = text.range(of: begin), let stop = text.range(of: end, range: start.upperBound..<text.endIndex)
        else {
            let other = label == "PRIVATE KEY" ? "PUBLIC KEY" : "PRIVATE KEY"
            let hint =
                text.contains("-----BEGIN \(other)-----")
                ? "it holds a \(other.lowercased()); the \(role) key goes here"
                : "make one with `openssl genpkey -algorithm ed25519 -out key.pem` (and `openssl pkey -in key.pem -pubout -out public.pem` for the public key)"
            throw SealError(description: "\(path): no `\(begin)` block: \(hint)")
        }
        let body = text[start.upperBound..<stop.lowerBound].filter { !$0.isWhitespace }
        guard let der = Data(base64Encoded: String(body)) else {
            throw SealError(description: "\(path): the \(label) block is not valid base64")
        }
        guard der.count == prefix.count + 32, der.prefix(prefix.count) == prefix else {
            throw SealError(
                description:
                    "\(path): not an Ed25519 \(role) key (RFC 8410); Takt signs with Ed25519 only: `openssl genpkey -algorithm ed25519 -out key.pem`"
            )
        }
        return der.suffix(32)
    }

    static func pem(_ der: Data) -> String {
        let base64 = der.base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        return "-----BEGIN PUBLIC KEY-----\n\(base64)\n-----END PUBLIC KEY-----\n"
    }

    static func hex<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    static func bytes(hex: String) -> Data? {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var out = Data(capacity: digits.count / 2)
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let high = ChainHash.nibble(digits[index]), let low = ChainHash.nibble(digits[index + 1]) else {
                return nil
            }
            out.append(high << 4 | low)
        }
        return out
    }
}
