import VigilModel

/// Renders the agent's own metrics in the Prometheus text format 0.0.4, for its `/metrics`
/// listener: what it collected and sent, send latency and errors, the spool's depth and size,
/// and the process's CPU and memory.
struct AgentMetricsExposition {
    let telemetry: AgentTelemetry.Snapshot
    let spool: SpoolStats
    let process: ProcessStats
    let version: String

    func render() -> String {
        var text = ""
        text.reserveCapacity(4_096)
        func family(_ name: String, _ type: String, _ help: String, _ value: Double) {
            text += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n\(name) \(GoFloatFormat.format(value))\n"
        }
        let t = telemetry
        family("vigil_agent_ticks_total", "counter", "Sampling ticks run.", Double(t.ticks))
        family("vigil_agent_skipped_ticks_total", "counter", "Ticks skipped because sampling fell behind the schedule.", Double(t.skippedTicks))
        family("vigil_agent_samples_collected_total", "counter", "Samples collected from /proc, /sys, log counters and the agent itself.", Double(t.samplesCollected))
        family("vigil_agent_collect_seconds_total", "counter", "Time spent sampling.", t.collectSecondsTotal)
        family("vigil_agent_reader_failures_total", "counter", "Readers that failed during a tick (a file missing or unreadable).", Double(t.readerFailures))
        family("vigil_agent_batches_sent_total", "counter", "Batches the collector acknowledged.", Double(t.batchesSent))
        family("vigil_agent_samples_sent_total", "counter", "Samples in acknowledged batches.", Double(t.samplesSent))
        family("vigil_agent_batches_rejected_total", "counter", "Batches a collector refused for good (4xx); dropped.", Double(t.batchesRejected))
        family("vigil_agent_send_failures_total", "counter", "Sends that failed and will be retried (network errors, timeouts, 5xx, refused token).", Double(t.sendFailures))

        text += "# HELP vigil_agent_send_duration_seconds Time of one POST to a collector, failures included.\n"
        text += "# TYPE vigil_agent_send_duration_seconds histogram\n"
        for (index, bound) in AgentTelemetry.sendBuckets.enumerated() {
            text += "vigil_agent_send_duration_seconds_bucket{le=\"\(GoFloatFormat.format(bound))\"} \(t.sendBucketCounts[index])\n"
        }
        let count = t.sendBucketCounts[AgentTelemetry.sendBuckets.count]
        text += "vigil_agent_send_duration_seconds_bucket{le=\"+Inf\"} \(count)\n"
        text += "vigil_agent_send_duration_seconds_sum \(GoFloatFormat.format(t.sendSecondsTotal))\n"
        text += "vigil_agent_send_duration_seconds_count \(count)\n"

        family("vigil_agent_spool_pending_batches", "gauge", "Batches in the spool not yet acknowledged.", Double(spool.pendingBatches))
        family("vigil_agent_spool_bytes", "gauge", "Bytes of the spool's segment files.", Double(spool.bytes))
        family("vigil_agent_spool_segments", "gauge", "Segment files in the spool.", Double(spool.segments))
        family("vigil_agent_spool_appended_batches_total", "counter", "Batches appended to the spool since start.", Double(spool.appendedBatches))
        family("vigil_agent_spool_dropped_batches_total", "counter", "Batches lost to the spool's size cap or to damaged records since start.", Double(spool.droppedBatches))
        family("vigil_agent_spool_syncs_total", "counter", "fdatasync calls on spool segments since start.", Double(spool.syncs))
        family("process_cpu_seconds_total", "counter", "User and system CPU time of the agent.", process.cpuSeconds)
        family("process_resident_memory_bytes", "gauge", "Resident memory of the agent.", Double(process.residentBytes))
        text += "# HELP vigil_agent_build_info The agent's version.\n# TYPE vigil_agent_build_info gauge\n"
        text += "vigil_agent_build_info{version=\"\(version)\"} 1\n"
        return text
    }
}
