import Testing
import TaktKernel

@Suite("Entity table")
struct EntityTableTests {
    @Test("keeps its entities in order while growing past its first capacity")
    func growth() {
        let table = EntityTable<Int>([], minimumCapacity: 2)
        for i in 0..<1_000 { table.append(i * 3) }
        #expect(table.count == 1_000)
        #expect(table.indices.map { table[$0] } == (0..<1_000).map { $0 * 3 })
    }

    @Test("writes go to the shared table; copy() makes an independent one")
    func referenceSemanticsAndCopy() {
        let table = EntityTable(repeating: 0, count: 3)
        let alias = table
        alias[1] = 7
        #expect(table[1] == 7)
        let snapshot = table.copy()
        table[1] = 9
        #expect(snapshot[1] == 7)
        #expect(table[1] == 9)
    }

    @Test("popLast removes from the end; removeAll empties it")
    func popAndRemoveAll() {
        let table = EntityTable(["a", "b", "c"])
        #expect(table.popLast() == "c")
        #expect(table.count == 2)
        table.removeAll()
        #expect(table.count == 0)
        #expect(table.popLast() == nil)
        table.append("d")
        #expect(table[0] == "d")
    }
}
