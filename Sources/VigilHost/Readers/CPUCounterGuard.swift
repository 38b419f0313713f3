/// node_exporter 1.5's guard against CPU counters that run backwards.
///
/// Each exported value only moves forward: a smaller reading keeps the previous value. When a
/// CPU's idle time drops by 3 s or more (a CPU was unplugged and came back), that CPU's values
/// restart from the new reading. A change in the number of CPUs restarts all of them.
struct CPUCounterGuard: Equatable {
    static let jumpBackSeconds = 3.0

    /// The values to export, indexed like `ProcStat.cpus`.
    private(set) var times: [CPUTimes] = []

    mutating func update(with readings: [CPUTimes]) {
        if times.count != readings.count {
            times = Array(repeating: CPUTimes(), count: readings.count)
        }
        for index in readings.indices {
            let reading = readings[index]
            if times[index].idle - reading.idle >= CPUCounterGuard.jumpBackSeconds {
                times[index] = CPUTimes()
            }
            for column in 0..<CPUTimes.columnNames.count where reading[column: column] >= times[index][column: column] {
                times[index][column: column] = reading[column: column]
            }
        }
    }
}
