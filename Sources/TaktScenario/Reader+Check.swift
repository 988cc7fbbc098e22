import Yams

extension Reader {
    /// `check: { kpis: [...], ignore: [...], tolerance: { KPI-or-glob: 0.01 | 5% } }`.
    func readCheck(_ field: Field) -> CheckSettings {
        var settings = CheckSettings()
        settings.line = field.node.mark?.line
        guard let section = field.mapping(allowed: ["kpis", "ignore", "tolerance"]) else { return settings }
        func patterns(_ list: Field?) -> [KPIPattern] {
            (list?.sequence() ?? []).compactMap(pattern)
        }
        settings.kpis = patterns(section["kpis"])
        settings.ignore = patterns(section["ignore"])
        if let kpis = section["kpis"], settings.kpis.isEmpty, case .sequence(let items) = kpis.node, items.isEmpty {
            kpis.fail("an empty list would compare no KPI; leave `kpis:` out to compare every KPI")
        }
        guard let tolerance = section["tolerance"] else { return settings }
        guard case .mapping(let entries) = tolerance.node else {
            tolerance.fail(
                "expected a mapping of KPI (or glob) to tolerance, e.g. { on_time_delivery: 0.01, lead_time: 5% }; found \(tolerance.found)"
            )
            return settings
        }
        var seen: Set<String> = []
        for (key, value) in entries {
            guard case .scalar(let name) = key else {
                tolerance.fail("expected a KPI name or glob as key; found a complex key")
                continue
            }
            let entry = Field(node: value, path: "\(tolerance.path).\(name.string)", diagnostics: tolerance.diagnostics)
            let keyField = Field(node: key, path: entry.path, diagnostics: tolerance.diagnostics)
            guard let pattern = pattern(keyField) else { continue }
            guard seen.insert(pattern.text).inserted else {
                keyField.fail("`\(pattern.text)` is given twice")
                continue
            }
            guard case .scalar(let scalar) = value, let parsed = KPITolerance.parse(scalar.string) else {
                entry.fail(
                    "expected a tolerance: a number of the KPI's unit (0.01) or a share of the baseline mean (5%), 0 or more; found \(entry.found)"
                )
                continue
            }
            settings.tolerances.append((pattern, parsed))
        }
        return settings
    }

    /// A KPI name or glob on one line, without spaces.
    private func pattern(_ field: Field) -> KPIPattern? {
        guard let text = field.string() else { return nil }
        guard !text.contains(where: { $0.isWhitespace || $0.isNewline }),
            !text.unicodeScalars.contains(where: { $0.value < 0x20 })
        else {
            field.fail(
                "a KPI name or glob has no spaces, e.g. `throughput`, `oee[reflow]` or `busy[*]`; found \(text.debugDescription)"
            )
            return nil
        }
        let line = field.node.mark?.line
        let source = "\(field.diagnostics.file)\(line.map { ":\($0)" } ?? ""): \(field.path)"
        return KPIPattern(text, source: source, line: line)
    }
}
