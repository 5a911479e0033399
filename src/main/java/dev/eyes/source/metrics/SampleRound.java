package dev.eyes.source.metrics;

import dev.eyes.event.Event;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One round of a resource source taken on demand ({@code eyes sample}): the events it made, the state of each of
 * its parts, and extra readings that have no place in an event (PSI averages, the cgroup limit …).
 */
public record SampleRound(List<Event> events, List<CollectorStatus> collectors, Map<String, String> details) {
    public SampleRound {
        events = List.copyOf(events);
        collectors = List.copyOf(collectors);
        details = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }
}
