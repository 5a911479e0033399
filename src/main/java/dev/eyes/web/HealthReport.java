package dev.eyes.web;

import tools.jackson.databind.node.ObjectNode;

/**
 * One snapshot of how Eyes is doing, as the dashboard needs it: the whole of {@code GET /api/health} and the
 * status-and-problems summary the banner and the {@code health} live event carry. {@link Health} is the
 * dashboard's own model; a running observer hands in its self-monitoring snapshot instead.
 */
public interface HealthReport {
    /** {@code ok}, {@code degraded} or {@code failing}. */
    String status();

    /** {@code {"status", "checked_at", "problems": [{"component", "level", "message"}]}}; a new node each call. */
    ObjectNode summaryJson();

    /** The summary and every part; a new node each call (the caller may add to it). */
    ObjectNode json();
}
