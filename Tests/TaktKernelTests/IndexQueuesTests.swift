import Testing
import TaktKernel

@Suite("Index queues")
struct IndexQueuesTests {
    @Test("each queue keeps first-in first-out order across growth and wrap-around, independently")
    func fifoPerQueue() {
        let queues = IndexQueues(queues: 3, initialCapacity: 2)
        var expected: [[Int32]] = [[], [], []]
        var popped: [[Int32]] = [[], [], []]
        for i in 0..<300 {
            let q = i % 3
            queues.push(Int32(i), to: q)
            expected[q].append(Int32(i))
            if i % 4 == 0, let front = queues.pop(q) { popped[q].append(front) }
        }
        for q in 0..<3 {
            while let front = queues.pop(q) { popped[q].append(front) }
            #expect(popped[q] == expected[q])
            #expect(queues.isEmpty(q))
        }
    }

    @Test("first and count look without removing")
    func peek() {
        let queues = IndexQueues(queues: 1)
        #expect(queues.first(0) == nil)
        queues.push(7, to: 0)
        queues.push(9, to: 0)
        #expect(queues.first(0) == 7)
        #expect(queues.count(0) == 2)
    }
}

@Suite("Index queues: removal by position")
struct IndexQueuesRemovalTests {
    @Test("removing from the middle keeps the others in order, across wrap-around")
    func removeAtPosition() {
        let queues = IndexQueues(queues: 1, initialCapacity: 4)
        for id in [1, 2, 3] as [Int32] { queues.push(id, to: 0) }
        _ = queues.pop(0)
        for id in [4, 5] as [Int32] { queues.push(id, to: 0) }  // the ring now wraps
        #expect(queues.remove(at: 2, from: 0) == 4)
        #expect(queues.id(at: 0, in: 0) == 2)
        var rest: [Int32] = []
        while let id = queues.pop(0) { rest.append(id) }
        #expect(rest == [2, 3, 5])
    }
}
