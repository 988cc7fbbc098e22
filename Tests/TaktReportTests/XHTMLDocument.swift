import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// A report parsed as XML: whether it is well-formed, the elements it has, and the text of
/// every element that names a KPI (`data-kpi`), for checking numbers against results.json.
final class XHTMLDocument: NSObject, XMLParserDelegate {
    /// Element names in document order.
    private(set) var elements: [String] = []
    /// Per element with `data-kpi`: its attributes and its text.
    private(set) var kpiCells: [(attributes: [String: String], text: String)] = []
    private(set) var parseError: Error?
    private var open: [(attributes: [String: String], text: String)?] = []

    init(_ text: String) {
        super.init()
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = self
        if !parser.parse() { parseError = parser.parserError ?? NSError(domain: "xml", code: 1) }
    }

    var isWellFormed: Bool { parseError == nil }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String]
    ) {
        elements.append(elementName)
        open.append(attributes["data-kpi"] != nil ? (attributes, "") : nil)
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        for index in open.indices where open[index] != nil { open[index]!.text += string }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        if let cell = open.popLast(), let cell { kpiCells.append(cell) }
    }
}
