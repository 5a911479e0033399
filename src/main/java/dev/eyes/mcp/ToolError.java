package dev.eyes.mcp;

/**
 * A tool call that cannot be carried out as asked — a missing or mistyped argument, an unknown one — with the plain
 * sentence the agent gets back as the tool's error result ({@code isError: true}).
 */
public final class ToolError extends Exception {
    public ToolError(String message) {
        super(message, null, false, false);
    }
}
