import TaktKernel
import TaktPlant

/// The work-order life cycle (OPC 10031-4 job-order states): ending, make-up units, holds
/// and aborts, each move audited.
extension MESCore {
    /// Ends order `id` once its last unit has left: completed when it shipped in full,
    /// closed (short) otherwise; an aborted order stays aborted.
    mutating func end(_ id: Int, at time: Double) {
        guard !book.state(of: id).isEnded else { return }
        let inFull = book.orders[id].inFull
        moveOrder(id, at: time, reason: inFull ? "last unit shipped" : "last unit left, closed short") {
            if $0.state == .released { try? $0.transition(to: .running, at: time) }
            try? $0.transition(to: inFull ? .completed : .closed, at: time)
        }
    }

    /// Releases a make-up unit for a scrapped one of order `id`, under the release policy.
    mutating func makeUp(_ id: Int, at time: Double, commands: inout [PlantCommand]) {
        switch release {
        case .push, .schedule:
            release(all: id, at: time, commands: &commands)
        case .conwip, .kanban:
            if !backlog.contains(id) { backlog.append(id) }
        }
    }

    /// Aborts order `id`: none of its units not yet released will be; those in the plant finish.
    mutating func abort(_ id: Int, at time: Double, reason: String) {
        guard !book.state(of: id).isEnded else { return }
        moveOrder(id, at: time, reason: reason) { try? $0.transition(to: .aborted, at: time) }
        backlog.removeAll { $0 == id }
    }

    /// Holds order `id`: no more of its units is released until ``releaseOrder(_:at:commands:)``.
    mutating func holdOrder(_ id: Int, at time: Double) {
        book.update(id) { $0.suspended = true }
        backlog.removeAll { $0 == id }
        if book.state(of: id) == .running {
            moveOrder(id, at: time, reason: "order put on hold") { try? $0.transition(to: .held, at: time) }
        }
    }

    /// Lifts order `id`'s hold: it runs again (unless a unit is still held) and releases its
    /// remaining units under the release policy.
    mutating func releaseOrder(_ id: Int, at time: Double, commands: inout [PlantCommand]) {
        book.update(id) { $0.suspended = false }
        if book.state(of: id) == .held, book.orders[id].onHold == 0 {
            moveOrder(id, at: time, reason: "order hold lifted") { try? $0.transition(to: .running, at: time) }
        }
        guard book.unreleased(id) > 0, book.orders[id].arrival <= time else { return }
        switch release {
        case .push:
            release(all: id, at: time, commands: &commands)
        case .schedule(let leadTime):
            if time >= book.orders[id].due - leadTime { release(all: id, at: time, commands: &commands) }
        case .conwip, .kanban:
            if !backlog.contains(id) {
                backlog.insert(id, at: backlog.firstIndex { $0 > id } ?? backlog.count)
            }
            releaseWhileAllowed(at: time, commands: &commands)
        }
    }

    /// Unit `serial` goes on an MES hold: its order is held (interrupted) while any unit is.
    mutating func holdOpened(_ serial: Int, at time: Double) {
        guard openHolds.insert(serial).inserted else { return }
        if time >= observationStart { unitsHeld += 1 }
        let order = book.order(ofSerial: serial)
        guard order >= 0 else { return }
        let id = Int(order)
        book.update(id) { $0.onHold += 1 }
        if book.state(of: id) == .running {
            moveOrder(id, at: time, reason: "unit \(serial) put on hold") { try? $0.transition(to: .held, at: time) }
        }
    }

    /// Unit `serial`'s hold is lifted or disposed of: its order runs again after its last hold.
    mutating func holdClosed(_ serial: Int, at time: Double) {
        guard openHolds.remove(serial) != nil else { return }
        let order = book.order(ofSerial: serial)
        guard order >= 0 else { return }
        let id = Int(order)
        book.update(id) { $0.onHold -= 1 }
        if book.orders[id].onHold == 0, !book.orders[id].suspended, book.state(of: id) == .held {
            moveOrder(id, at: time, reason: "last hold on its units lifted") {
                try? $0.transition(to: .running, at: time)
            }
        }
    }

    /// Changes order `id`'s state through `change`, auditing the move.
    mutating func moveOrder(_ id: Int, at time: Double, reason: String, _ change: (inout WorkOrder) -> Void) {
        let old = book.state(of: id)
        book.update(id, change)
        if settings.audits {
            audit(
                time, "order-tracking", "order-state", "order \(book.orders[id].name)", reason, old: "\(old)",
                new: "\(book.state(of: id))")
        }
    }
}
