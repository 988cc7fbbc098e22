import Testing
import TaktMES

@Suite("Work orders")
struct WorkOrderTests {
    @Test("an order goes planned → released → running → completed → closed, each step timestamped")
    func lifecycle() throws {
        var order = WorkOrder(id: 7, product: 0, quantity: 10, arrival: 5, due: 100)
        try order.transition(to: .released, at: 10)
        try order.transition(to: .running, at: 12)
        try order.transition(to: .completed, at: 90)
        try order.transition(to: .closed, at: 91)
        #expect(order.state == .closed)
        #expect(order.enteredState.compactMap { $0 } == [5, 10, 12, 90, 91])
        #expect(order.lateness == -10 && order.tardiness == 0 && order.leadTime == 80)
    }

    @Test(
        "illegal transitions are rejected and leave the order as it was",
        arguments: [WorkOrderState.planned, .running, .completed, .closed])
    func illegalFromPlanned(_ target: WorkOrderState) {
        var order = WorkOrder(id: 3, product: 0, quantity: 1, arrival: 0, due: 1)
        #expect(throws: WorkOrderTransitionError(order: 3, from: .planned, to: target)) {
            try order.transition(to: target, at: 1)
        }
        #expect(order.state == .planned)
    }

    @Test("the error says what was asked and the allowed sequence")
    func message() {
        let error = WorkOrderTransitionError(order: 3, from: .released, to: .closed)
        #expect(
            error.description
                == "work order 3 cannot go from released to closed; orders go planned → released → running → completed → closed"
        )
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
