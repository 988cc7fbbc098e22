import Foundation
import Testing
import TaktExperiment
import TaktKernel
import TaktMES
import TaktScenario

/// A scenario from `yaml` with an order book `csv` beside it (in a fresh directory).
private func scenario(_ yaml: String, book csv: String? = nil, _ overrides: [String] = []) throws -> Scenario {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("takt-orders-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    if let csv { try csv.write(to: directory.appendingPathComponent("orders.csv"), atomically: true, encoding: .utf8) }
    return try ScenarioReader.parse(yaml: yaml, file: "t.yaml", directory: directory.path, overrides: overrides)
}

private func mean(_ results: ExperimentResults, _ name: String) throws -> Double {
    try #require(results.kpi(name), "no KPI \(name)").mean
}

/// One machine taking an hour per unit, five one-unit orders all there at 0, FIFO in book order.
private let overloaded = """
    name: overloaded
    horizon: 210m
    replications: 1
    stations:
      - { id: m, cycle: const(1h) }
    products:
      - { id: p, route: [m] }
    mes:
      orders: { book: orders.csv }
    """
private let overloadedBook = """
    id,product,quantity,due
    WO-A,p,1,1h
    WO-B,p,1,2h
    WO-C,p,1,150m
    WO-D,p,1,3h
    WO-E,p,1,10h
    """

@Suite("Delivery KPIs an operations manager would sign")
struct DeliveryKPITests {
    // By hand: A ships at 1 h (due 1 h, on time), B at 2 h (on time), C at 3 h (due 2.5 h:
    // 0.5 h late); at the end (3.5 h) D is on the machine, due 3 h: open and 0.5 h late so
    // far; E is open and not yet due. Due for delivery: A, B, C, D.
    @Test("an open order past its due date counts as late, with its tardiness so far")
    func openLateOrdersCount() async throws {
        let results = try await Experiment.run(try scenario(overloaded, book: overloadedBook))
        #expect(try mean(results, "orders_due") == 4)
        #expect(try mean(results, "orders_completed") == 3)
        #expect(try mean(results, "on_time_delivery") == 0.5)
        #expect(try mean(results, "otif") == 0.5)
        #expect(abs(try mean(results, "order_lateness") - 0.25) < 1e-12)
        #expect(abs(try mean(results, "order_tardiness") - 0.25) < 1e-12)
        #expect(try mean(results, "fill_rate") == 0.75)
        #expect(try mean(results, "open_orders") == 2)
        #expect(try mean(results, "open_orders_late") == 1)
    }

    @Test("flow time runs from the order's arrival, lead time from its release")
    func flowTimeFromArrival() async throws {
        let book = overloadedBook.replacingOccurrences(
            of: "id,product,quantity,due", with: "id,product,quantity,due,arrival"
        )
        .split(separator: "\n").enumerated().map { $0.offset == 0 ? String($0.element) : $0.element + ",0s" }
        .joined(separator: "\n")
        let results = try await Experiment.run(try scenario(overloaded, book: book))
        // Push releases every unit at 0: both run from 0 to 1, 2 and 3 h.
        #expect(abs(try mean(results, "order_flow_time") - 2) < 1e-12)
        #expect(abs(try mean(results, "order_lead_time") - 2) < 1e-12)
    }

    @Test("the makespan of a finite order set is when its last order ends, undefined while one is open")
    func makespan() async throws {
        let open = try await Experiment.run(try scenario(overloaded, book: overloadedBook))
        #expect(try #require(open.kpi("makespan")).defined == 0)
        let done = try await Experiment.run(
            try scenario(overloaded, book: "id,product,quantity,due\nA,p,2,1h\nB,p,1,1h\n"))
        #expect(try mean(done, "makespan") == 10_800)
    }

    @Test("a snapshot counts the units at each station at that instant")
    func snapshot() async throws {
        // At 90 min A has shipped (1 h); B is on the machine and C, D, E wait: 4 at m.
        var read = try scenario(overloaded, book: overloadedBook)
        read.snapshots = [5_400]
        let results = try await Experiment.run(read)
        #expect(try mean(results, "wip_at_90m[m]") == 4)
        #expect(try mean(results, "wip_at_90m") == 4)
    }

    @Test("orders.csv's priority comes from the order book")
    func priorityIsKept() async throws {
        let book = "id,product,quantity,due,priority\nA,p,1,1h,5\nB,p,1,2h,0.5\n"
        let results = try await Experiment.run(try scenario(overloaded, book: book))
        #expect(results.orders.map(\.priority) == [5, 0.5])
    }

    @Test("orders keep the order book's id in the results")
    func orderIdsAreKept() async throws {
        let results = try await Experiment.run(try scenario(overloaded, book: overloadedBook))
        #expect(results.orders.map(\.order) == ["WO-A", "WO-B", "WO-C", "WO-D", "WO-E"])
        #expect(results.orders.map(\.state) == ["completed", "completed", "completed", "running", "released"])
    }

    @Test("CONWIP and push with equal throughput give equal order flow times, not equal lead times")
    func conwipMovesWaitingInFrontOfTheLine() async throws {
        let yaml = """
            name: one-machine
            horizon: 20d
            replications: 5
            stations:
              - { id: m, cycle: exp(50m) }
            products:
              - { id: p, route: [m] }
            mes:
              orders: { generate: { every: exp(1h), quantity: 1, due_in: 8h, product: p } }
            """
        let push = try await Experiment.run(try scenario(yaml))
        let conwip = try await Experiment.run(try scenario(yaml, ["mes.release={ policy: conwip, wip_cap: 1 }"]))
        // One FIFO machine, never idle while work waits under either policy, drawing the same
        // cycle times in the same order: every order completes at the same instant.
        let a = try #require(push.kpi("order_flow_time")).values
        let b = try #require(conwip.kpi("order_flow_time")).values
        #expect(zip(a, b).allSatisfy { abs($0 - $1) <= 1e-9 * $0 })
        #expect(try mean(push, "throughput") == mean(conwip, "throughput"))
        #expect(try mean(conwip, "order_lead_time") < 0.5 * mean(push, "order_lead_time"))
    }

    @Test("a scrapped unit is made up by its work order, which then ships its full quantity")
    func makeUpReplacesScrap() async throws {
        let yaml = """
            name: make-up
            horizon: 30d
            replications: 3
            stations:
              - id: m
                cycle: const(10m)
                defects: [{ name: flaw, p: 0.3 }]
                inspects: { defects: [flaw], detect: 1 }
            products:
              - { id: p, route: [m] }
            mes:
              orders: { book: orders.csv }
            """
        let book = "id,product,quantity,due\nbig,p,40,20h\n"
        let made = try await Experiment.run(try scenario(yaml, book: book))
        let order = try #require(made.orders.first)
        #expect(order.state == "completed" && order.shipped == 40 && order.scrapped > 0)
        #expect(try mean(made, "fill_rate") == 1 && mean(made, "orders_closed_short") == 0)
        let short = try await Experiment.run(try scenario(yaml, book: book, ["mes.orders.make_up=false"]))
        let closed = try #require(short.orders.first)
        #expect(closed.state == "closed" && closed.shipped + closed.scrapped == 40 && closed.shipped < 40)
        #expect(try mean(short, "orders_closed_short") == 1 && mean(short, "otif") == 0)
        #expect(abs(try mean(short, "fill_rate") - Double(short.orders.map(\.shipped).reduce(0, +)) / 120) < 1e-12)
    }

    @Test("when every unit is scrapped, make-up keeps releasing one unit for each one lost")
    func makeUpUnitForUnit() async throws {
        // 10-minute cycle, everything scrapped: by 65 min six units are done and scrapped,
        // each replaced; two are still in the plant.
        let yaml = """
            name: all-scrap
            horizon: 65m
            replications: 1
            stations:
              - id: m
                cycle: const(10m)
                defects: [{ name: flaw, p: 1 }]
                inspects: { defects: [flaw], detect: 1 }
            products:
              - { id: p, route: [m] }
            mes:
              orders: { book: orders.csv }
            """
        let results = try await Experiment.run(try scenario(yaml, book: "id,product,quantity,due\nx,p,2,1h\n"))
        let order = try #require(results.orders.first)
        #expect(order.scrapped == 6 && order.shipped == 0 && order.state == "running")
        let short = try await Experiment.run(
            try scenario(yaml, book: "id,product,quantity,due\nx,p,2,1h\n", ["mes.orders.make_up=false"]))
        #expect(short.orders.first?.state == "closed" && short.orders.first?.completed == 1_200)
    }

    @Test("a delivery figure over no orders is undefined, not 0")
    func undefinedWhenNoOrderIsDue() async throws {
        let results = try await Experiment.run(
            try scenario(overloaded, book: "id,product,quantity,due\nlater,p,4,10h\n"))
        let onTime = try #require(results.kpi("on_time_delivery"))
        #expect(!onTime.isDefined && onTime.values[0].isNaN && onTime.formatted() == "undefined")
        #expect(try #require(results.kpi("order_lead_time")).defined == 0)
    }

    @Test("an incident can hold, release and abort an order of the book")
    func holdReleaseAbort() async throws {
        let yaml =
            overloaded + """

                  release: { policy: conwip, wip_cap: 1 }
                incidents:
                  - { at: 30m, do: [hold order WO-B, abort order WO-D] }
                  - { at: 90m, do: release order WO-B }
                """
        let results = try await Experiment.run(try scenario(yaml, book: overloadedBook))
        // CONWIP of 1: A runs 0–1 h; B is held at 30 min, so C runs 1–2 h; B's hold is lifted
        // at 1.5 h and, as the oldest order in the backlog, it runs 2–3 h; D never starts.
        let states = Dictionary(uniqueKeysWithValues: results.orders.map { ($0.order, $0.state) })
        #expect(states["WO-D"] == "aborted" && states["WO-C"] == "completed")
        #expect(results.orders.first { $0.order == "WO-B" }?.completed == 10_800)
        #expect(results.orders.first { $0.order == "WO-D" }?.released == nil)
        #expect(try mean(results, "orders_aborted") == 1)
    }
}

@Suite("Order books and release policies are checked as written")
struct OrderBookValidationTests {
    let yaml = overloaded

    func errors(_ csv: String) -> [String] {
        do {
            _ = try scenario(yaml, book: csv)
            return []
        } catch let error as ScenarioErrors {
            return error.issues.map(\.description)
        } catch {
            return ["\(error)"]
        }
    }

    @Test("a duplicate order id is an error at its line, naming the first use")
    func duplicateIds() {
        #expect(
            errors("id,product,quantity,due\nA,p,1,1h\nA,p,2,2h\n") == [
                "orders.csv:3: id: the order id `A` is already used on line 2; order ids must be unique (did you mean `A-2`?)"
            ])
    }

    @Test("an order due before it arrives is an error")
    func dueBeforeArrival() {
        #expect(
            errors("id,product,quantity,due,arrival\nA,p,1,1h,2h\n") == [
                "orders.csv:2: due: the order is due (1h) before it arrives (2h); give a due date at or after its arrival"
            ])
    }

    @Test("a negative quantity or priority is an error")
    func negativeNumbers() {
        #expect(
            errors("id,product,quantity,due,priority\nA,p,-3,1h,1\nB,p,1,1h,-2\n") == [
                "orders.csv:2: quantity: expected a whole number from 1 to 1000000; found `-3`",
                "orders.csv:3: priority: expected a number of at least 0 (larger is more urgent); found `-2`",
            ])
    }

    @Test("an unknown product is an error with the nearest name")
    func unknownProduct() {
        #expect(
            errors("id,product,quantity,due\nA,q,1,1h\n") == [
                "orders.csv:2: product: unknown product `q`; expected one of p (did you mean `p`?)"
            ])
    }

    @Test("a semicolon-separated book is an error that shows the comma-separated header")
    func wrongDelimiter() {
        #expect(
            errors("id;product;quantity;due\nA;p;1;1h\n") == [
                "orders.csv:1: the cells are separated by `;`; an order book is comma-separated (CSV, RFC 4180), as in `id,product,quantity,due` (did you mean `id,product,quantity,due`?)"
            ])
    }

    @Test("an order arriving after the horizon is a warning, not an error")
    func arrivalAfterHorizon() throws {
        let read = try scenario(yaml, book: "id,product,quantity,due,arrival\nA,p,1,30h,20h\n")
        #expect(
            read.warnings.map(\.description) == [
                "orders.csv:2: arrival: order `A` arrives at 20h, after the horizon (210m); the run will never see it"
            ])
    }

    @Test("a kanban loop without cards for an ordered product is an error at the cards")
    func kanbanWithoutCards() {
        let yaml = """
            name: k
            horizon: 1d
            stations:
              - { id: m, cycle: exp(10m) }
            products:
              - { id: a, route: [m] }
              - { id: b, route: [m] }
            mes:
              orders: { generate: { every: exp(1h), quantity: 1, due_in: 4h, mix: { a: 0.5, b: 0.5 } } }
              release: { policy: kanban, cards: { a: 3 } }
            """
        #expect(
            problems(yaml) == [
                "t.yaml:10:37: mes.release.cards: product `b` has orders but no kanban cards, so none of its orders would ever be released; give it cards, as in `cards: { b: 10 }`"
            ])
    }

    @Test("a CONWIP limit of 0 is an error at the limit")
    func conwipOfZero() {
        let problems = problems(
            overloaded.replacingOccurrences(
                of: "orders: { book: orders.csv }",
                with:
                    "orders: { generate: { every: 1h, quantity: 1, due_in: 4h, product: p } }\n  release: { policy: conwip, wip_cap: 0 }"
            ))
        #expect(problems.count == 1 && problems[0].contains("mes.release.wip_cap"))
    }

    @Test("a schedule that releases nothing before the horizon is an error at the lead time")
    func scheduleReleasingNothing() {
        let problems = problems(
            overloaded.replacingOccurrences(
                of: "orders: { book: orders.csv }",
                with:
                    "orders: { generate: { every: 1h, quantity: 1, due_in: 30d, product: p } }\n  release: { policy: schedule, lead_time: 1d }"
            ))
        #expect(problems.count == 1 && problems[0].contains("mes.release.lead_time: with a lead time of 1d no order"))
    }

    func problems(_ yaml: String) -> [String] { scenarioProblems(yaml) }
}

@Suite("Work-order states on a run")
struct WorkOrderStateRunTests {
    @Test("an order is held while one of its units is on hold, and runs again when the hold is lifted")
    func heldWhileAUnitIsHeld() throws {
        let yaml =
            overloaded + """

                incidents:
                  - { at: 10m, do: hold unit 1 }
                  - { at: 20m, do: release unit 1 }
                """
        let order = try #require(
            try Experiment.replicate(try scenario(yaml, book: overloadedBook), replication: 0).orders.first)
        #expect(order.enteredState[WorkOrderState.held.rawValue] == 600)
        #expect(order.enteredState[WorkOrderState.running.rawValue] == 1_200)
        #expect(order.state == .completed)
    }
}

@Suite("Rework back to an earlier step")
struct ReworkBackToTests {
    /// a → b → c (inspects); `a` gives every unit a flaw that `c` always finds.
    func line(backTo: String) -> String {
        """
        name: back-to
        horizon: 10h
        replications: 1
        stations:
          - { id: a, cycle: const(1m), defects: [{ name: flaw, p: 1 }] }
          - { id: b, cycle: const(1m) }
          - id: c
            cycle: const(1m)
            inspects: { defects: [flaw], detect: 1 }
            rework: { back_to: \(backTo), max: 1 }
        products:
          - { id: p, route: [a, b, c] }
        sources:
          - { product: p, every: const(1h) }
        """
    }

    @Test("a unit sent back to b re-runs b and c, its flaw repaired, and ships")
    func backToTheMiddle() async throws {
        let results = try await Experiment.run(try scenario(line(backTo: "b")))
        let a = try #require(results.kpi("units_completed[a]")).mean
        #expect(a > 0)
        #expect(try #require(results.kpi("units_completed[b]")).mean == 2 * a)
        #expect(try #require(results.kpi("units_completed[c]")).mean == 2 * a)
        #expect(try #require(results.kpi("shipped")).mean == a)
        #expect(try #require(results.kpi("yield")).mean == 1)
    }

    @Test("a unit sent back to a re-runs every step, picks up a new flaw, and is scrapped after its one rework")
    func backToTheStart() async throws {
        let results = try await Experiment.run(try scenario(line(backTo: "a")))
        let c = try #require(results.kpi("units_completed[c]")).mean
        #expect(try #require(results.kpi("units_completed[a]")).mean == c)
        #expect(try #require(results.kpi("shipped")).mean == 0)
        #expect(try #require(results.kpi("reworks_per_unit")).mean == 1)
    }

    @Test("back_to a station the route does not visit before the inspection is an error")
    func backToALaterStation() {
        let yaml = line(backTo: "b").replacingOccurrences(of: "route: [a, b, c]", with: "route: [a, c, b]")
        do {
            _ = try ScenarioReader.parse(yaml: yaml, file: "t.yaml")
            Issue.record("no error")
        } catch {
            #expect(
                error.issues.map(\.description).contains {
                    $0.hasSuffix(
                        "stations[2].rework.back_to: product `p` does not visit `b` before `c`; a rework goes back to an earlier step of the route (or use `rework: { station: … }`)"
                    )
                })
        }
    }
}

@Suite("KPIs undefined in some replications")
struct UndefinedKPITests {
    @Test("the mean is over the replications where a KPI is defined, and says how many")
    func meanOverDefined() {
        let kpi = KPIResult(name: "x", unit: "h", values: [1, .nan, 3])
        #expect(kpi.mean == 2 && kpi.defined == 2 && kpi.values[1].isNaN)
        #expect(kpi.formatted(decimals: 1).hasSuffix("(defined in 2 of 3)"))
    }

    @Test("one value, or values all equal, have no interval: shown n/a, written null")
    func noInterval() throws {
        #expect(KPIResult(name: "x", unit: "", values: [4]).formatted(decimals: 1) == "4.0 ± n/a")
        #expect(KPIResult(name: "x", unit: "", values: [4, 4]).formatted(decimals: 1) == "4.0 ± n/a")
        let json = String(
            decoding: try JSONEncoder().encode(KPIResult(name: "x", unit: "", values: [.nan])), as: UTF8.self)
        #expect(
            json.contains("\"mean\":null") && json.contains("\"values\":[null]") && json.contains("\"halfWidth\":null"))
    }

    @Test("takt compare adjusts for the number of KPIs and keeps the raw significance beside it")
    func compareAdjusts() {
        func results(_ shift: Double) -> ExperimentResults {
            ExperimentResults(
                scenario: "s", file: "f", seed: 1, replications: 5, horizon: 1, warmup: 0, generator: "g",
                gslVersion: "v",
                kpis: (0..<20).map { k in
                    KPIResult(
                        name: "k\(k)", unit: "",
                        values: [1, 2, 3, 4, 5].map {
                            $0 + (k == 0 ? shift * [0.5, 1.5, 0.9, 1.1, 1.0][Int($0) - 1] : 0)
                        })
                })
        }
        // k0 differs by [0.5, 1.5, 0.9, 1.1, 1.0]: p = 0.003438 on its own (scipy's
        // ttest_1samp), 20 × that = 0.069 after Holm, no longer significant; the other 19 do
        // not differ at all (p = 1).
        let rows = Comparison.compare(results(0), results(1))
        #expect(abs(rows[0].pValue! - 0.003438227245613192) < 1e-9)
        #expect(rows[0].isSignificant && !rows[0].isSignificantAdjusted)
        #expect(abs(rows[0].adjustedPValue! - 20 * rows[0].pValue!) < 1e-12)
        #expect(rows.dropFirst().allSatisfy { $0.pValue == 1 && !$0.isSignificant })
    }
}

@Suite("Assertions on undefined KPIs")
struct UndefinedAssertionTests {
    @Test("an assertion on a KPI undefined in a replication is an error that says so, not a pass or a fail")
    func undefinedKPIInAnAssertion() async throws {
        let yaml = overloaded + "\nassert:\n  - \"on_time_delivery >= 0.9\"\n"
        let scenario = try scenario(yaml, book: "id,product,quantity,due\nlater,p,4,10h\n")
        let results = try await Experiment.run(scenario)
        let verdict = Check.judge(try #require(scenario.assertions.first), results: results)
        #expect(verdict.verdict == .error)
        #expect(verdict.message.hasPrefix("`on_time_delivery` is undefined in replication 1 (defined in 0 of 1)"))
    }
}
