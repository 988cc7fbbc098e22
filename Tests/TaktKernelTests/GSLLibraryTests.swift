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

    @Test("the linked GSL reports a 2.x version")
    func version() {
        #expect(GSLLibrary.version.hasPrefix("2."))
    }
}
