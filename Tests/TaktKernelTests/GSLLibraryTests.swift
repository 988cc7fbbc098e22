import CGSL
import Testing
import TaktKernel

@Suite("GSL set-up")
struct GSLLibraryTests {
    @Test("a failing GSL call returns an error value instead of aborting the process")
    func errorsDoNotAbort() {
        GSLLibrary.prepare()
        // Zero events is invalid input: with GSL's default handler this call would abort.
        let table = gsl_ran_discrete_preproc(0, nil)
        #expect(table == nil)
    }

    @Test("a GSL domain or range error is noted for Swift to read, and the process goes on")
    func errorsAreNoted() {
        GSLLibrary.prepare()
        _ = GSLLibrary.takeError()
        // Γ(1001) overflows a double: GSL's default handler would abort here.
        let value = gsl_sf_gamma(1_001)
        #expect(!value.isFinite || value > 1e300)
        let error = GSLLibrary.takeError()
        #expect(Int(error?.code ?? 0) == Int(GSL_EOVRFLW))
        #expect(error?.reason.isEmpty == false)
        #expect(GSLLibrary.takeError() == nil, "reading the error clears it")
    }

    @Test("the distributions' shapes stay where GSL's moments are finite")
    func shapesAreBounded() throws {
        #expect(throws: DistributionError.self) { try Distribution.weibull(shape: 0.001, scale: 1) }
        #expect(throws: DistributionError.self) { try Distribution.gamma(shape: 1e-300, mean: 1) }
        #expect(throws: DistributionError.self) { try Distribution.lognormal(mean: 1, sd: 1e300) }
        let widest = try Distribution.weibull(shape: 0.01, scale: 1)
        #expect(widest.mean.isFinite)
    }

    @Test("the linked GSL reports a 2.x version")
    func version() {
        #expect(GSLLibrary.version.hasPrefix("2."))
    }
}
