import Crypto
import Foundation
import GRDB
import Testing
import TaktScenario
import TaktStore

/// A temporary file holding `text`.
private func file(_ text: String, _ suffix: String = ".pem") throws -> String {
    let path = scratchPath(suffix)
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

/// A new Ed25519 key pair as the PEM files `openssl genpkey` / `openssl pkey -pubout` write
/// (RFC 8410 §7: the fixed DER prefix and the 32 key bytes).
private func keyPair() throws -> (privatePEM: String, publicPEM: String) {
    let key = Curve25519.Signing.PrivateKey()
    func pem(_ label: String, _ der: [UInt8]) -> String {
        "-----BEGIN \(label)-----\n\(Data(der).base64EncodedString())\n-----END \(label)-----\n"
    }
    let privateDER: [UInt8] = [
        0x30, 0x2E, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
    ]
    let publicDER: [UInt8] = [0x30, 0x2A, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x03, 0x21, 0x00]
    return (
        try file(pem("PRIVATE KEY", privateDER + Array(key.rawRepresentation))),
        try file(pem("PUBLIC KEY", publicDER + Array(key.publicKey.rawRepresentation)))
    )
}

/// A signed traced run of the flagship (2 days).
private func signedStore(_ privatePEM: String) throws -> (path: String, summary: TracedRun.Summary) {
    let path = scratchPath()
    let scenario = try ScenarioReader.load(
        path: "\(repositoryRoot)/scenarios/smt-router-line.yaml", overrides: ["horizon=2d", "replications=1"])
    let summary = try TracedRun.run(scenario, to: path, signer: try SealSigner(pemFile: privatePEM))
    return (path, summary)
}

@Suite("Signed seals")
struct SealSignatureTests {
    @Test("a signed seal verifies with its public key")
    func verifiesWithItsKey() throws {
        let keys = try keyPair()
        let (path, summary) = try signedStore(keys.privatePEM)
        let key = try SealVerifier(pemFile: keys.publicPEM)
        #expect(summary.seal.publicKey == key.publicKey)
        let report = try AuditVerification.check(path, expecting: .init(seal: summary.seal.seal, key: key))
        #expect(report.findings.isEmpty && report.signatureChecked)
    }

    @Test("another key does not verify the signature")
    func anotherKeyFails() throws {
        let (path, _) = try signedStore(try keyPair().privatePEM)
        let other = try SealVerifier(pemFile: try keyPair().publicPEM)
        let found = try AuditVerification.check(path, expecting: .init(key: other)).findings
        #expect(found.first?.problem.contains("does not verify with the key \(other.publicKey)") == true)
    }

    @Test("a changed and re-sealed store no longer carries a valid signature")
    func resealedFails() throws {
        let keys = try keyPair()
        let (path, _) = try signedStore(keys.privatePEM)
        try tamper(path, "UPDATE operation SET \"end\" = \"end\" + 60 WHERE rowid = 10")
        try Forger.rechain(path, table: "operation")
        try Forger.reseal(path)
        let found = try AuditVerification.check(path, expecting: .init(key: try SealVerifier(pemFile: keys.publicPEM)))
            .findings
        #expect(found.map(\.problem).first?.contains("the store was re-sealed, or signed with another key") == true)
    }

    @Test("a removed signature is caught when a key is given")
    func removedSignature() throws {
        let keys = try keyPair()
        let (path, _) = try signedStore(keys.privatePEM)
        try tamper(path, "DELETE FROM run WHERE key = 'seal_signature'")
        let found = try AuditVerification.check(path, expecting: .init(key: try SealVerifier(pemFile: keys.publicPEM)))
            .findings
        #expect(found.first?.problem.contains("the store holds no signature") == true)
    }

    @Test("the seal file holds the seal and signature, and reads back")
    func sealFile() throws {
        let (path, summary) = try signedStore(try keyPair().privatePEM)
        let held = try SealFile.read(SealFile.path(of: path))
        #expect(held == summary.seal)
        #expect(held.signature?.count == 128)
    }

    @Test("a public key given to sign with is refused with what to do")
    func publicKeyAsPrivate() throws {
        let keys = try keyPair()
        #expect(throws: SealError.self) { try SealSigner(pemFile: keys.publicPEM) }
        do {
            _ = try SealSigner(pemFile: keys.publicPEM)
        } catch {
            #expect("\(error)".contains("it holds a public key; the private key goes here"))
        }
    }

    @Test("a key that is not Ed25519 is refused with how to make one")
    func notEd25519() throws {
        // A P-256 key in PKCS #8: the right PEM block, the wrong algorithm.
        let p256 = try file(P256.Signing.PrivateKey().pemRepresentation)
        do {
            _ = try SealSigner(pemFile: p256)
            Issue.record("a P-256 key was accepted")
        } catch {
            #expect("\(error)".contains("not an Ed25519 private key (RFC 8410)"))
            #expect("\(error)".contains("openssl genpkey -algorithm ed25519"))
        }
    }

    @Test("a file that is not PEM is refused with how to make a key")
    func notPEM() throws {
        let notes = try file("just some notes\n")
        do {
            _ = try SealSigner(pemFile: notes)
            Issue.record("a text file was accepted as a key")
        } catch {
            #expect("\(error)".contains("no `-----BEGIN PRIVATE KEY-----` block"))
            #expect("\(error)".contains("openssl genpkey -algorithm ed25519 -out key.pem"))
        }
    }

    @Test("a seal file without a seal, or with a malformed one, is refused")
    func badSealFiles() throws {
        let empty = try file("store: x.sqlite\n", ".seal")
        #expect(throws: SealError.self) { try SealFile.read(empty) }
        let short = try file("seal: abc\n", ".seal")
        do {
            _ = try SealFile.read(short)
        } catch {
            #expect("\(error)".contains("is not 64 lower-case hex digits"))
        }
    }
}

@Suite("Seal files are not overwritten by mistake")
struct SealFileTargetTests {
    @Test("a seal file without its store is not overwritten unless replace is given")
    func orphanSeal() throws {
        let path = scratchPath()
        try "seal: kept\n".write(toFile: SealFile.path(of: path), atomically: true, encoding: .utf8)
        #expect(throws: TraceTarget.Refusal.sealExists(path: path)) { try TraceTarget.check(path, replace: false) }
        #expect(throws: Never.self) { try TraceTarget.check(path, replace: true) }
    }
}
