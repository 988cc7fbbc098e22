import Testing
import TaktMES

@Suite("Work orders")
struct WorkOrderTests {
    @Test("an order goes planned → released → running → completed, each step timestamped")
    func lifecycle() throws {
        var order = WorkOrder(id: 7, product: 0, quantity: 10, arrival: 5, due: 100)
        try order.transition(to: .released, at: 10)
        try order.transition(to: .running, at: 12)
        try order.transition(to: .completed, at: 90)
        #expect(order.state == .completed && order.state.isEnded)
        #expect(order.enteredState.compactMap { $0 } == [5, 10, 12, 90])
        #expect(order.lateness == -10 && order.tardiness == 0 && order.leadTime == 80 && order.flowTime == 85)
    }

    @Test("a running order is held while a unit is on hold and runs again after")
    func held() throws {
        var order = WorkOrder(id: 1, product: 0, quantity: 2, arrival: 0, due: 100)
        for (state, time) in [(WorkOrderState.released, 1.0), (.running, 2), (.held, 3), (.running, 4), (.closed, 9)] {
            try order.transition(to: state, at: time)
        }
        #expect(order.state == .closed && order.completion == 9)
    }

    @Test(
        "an order may be aborted until it ends, and nothing follows an end",
        arguments: [WorkOrderState.completed, .closed, .aborted])
    func ended(_ end: WorkOrderState) throws {
        var order = WorkOrder(id: 2, product: 0, quantity: 1, arrival: 0, due: 1)
        try order.transition(to: .released, at: 0)
        if end != .aborted { try order.transition(to: .running, at: 0) }
        try order.transition(to: end, at: 1)
        #expect(order.unreleased == 0)
        for next in WorkOrderState.allCases {
            #expect(throws: WorkOrderTransitionError.self) { try order.transition(to: next, at: 2) }
        }
    }

    @Test(
        "illegal transitions from planned are rejected and leave the order as it was",
        arguments: [WorkOrderState.planned, .running, .held, .completed, .closed])
    func illegalFromPlanned(_ target: WorkOrderState) {
        var order = WorkOrder(id: 3, name: "WO-3", product: 0, quantity: 1, arrival: 0, due: 1)
        #expect(throws: WorkOrderTransitionError(order: "WO-3", from: .planned, to: target)) {
            try order.transition(to: target, at: 1)
        }
        #expect(order.state == .planned)
    }

    @Test("the error names the order and the states it may go to")
    func message() {
        let error = WorkOrderTransitionError(order: "WO-3", from: .released, to: .closed)
        #expect(
            error.description
                == "work order WO-3 cannot go from released to closed; from released it may go to running, aborted")
        #expect(
            WorkOrderTransitionError(order: "7", from: .completed, to: .running).description
                == "work order 7 cannot go from completed to running; it has ended")
    }

    @Test("a late order has positive lateness and equal tardiness")
    func late() throws {
        var order = WorkOrder(id: 1, product: 0, quantity: 1, arrival: 0, due: 50)
        for (state, time) in [(WorkOrderState.released, 1.0), (.running, 2), (.completed, 80)] {
            try order.transition(to: state, at: time)
        }
        #expect(order.lateness == 30 && order.tardiness == 30)
    }
}
