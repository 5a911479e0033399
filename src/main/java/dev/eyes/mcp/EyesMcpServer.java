package dev.eyes.mcp;

import dev.eyes.json.JsonTrees;
import dev.eyes.store.AlertException;
import dev.eyes.store.Database;
import dev.eyes.store.StoreException;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code eyes mcp}: Eyes' alerts for AI agents over the Model Context Protocol (stdio), on the official Java SDK.
 * Server {@value #NAME} ("{@value #TITLE}"), tools only (see {@link AlertTools}). It works beside a running
 * {@code eyes run} on the same SQLite file: the stores retry while the observer holds the write lock, so "database
 * is locked" never reaches the agent.
 *
 * <p>Every tool answers with a {@code CallToolResult}: on success {@code structuredContent} is the result object
 * and the one text block is the same object as JSON (for clients that read only text); on failure
 * {@code isError} is true, the text block is the plain message ("Alert candidate 42 does not exist", "limit must be
 * 1..100") and {@code structuredContent} is {@code {"error": message}} as in the original. A failure is never a
 * protocol error and never shows a stack trace.
 */
public final class EyesMcpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EyesMcpServer.class);

    public static final String NAME = "eyes-alerts";
    public static final String TITLE = "Eyes Alert Triage";
    public static final String INSTRUCTIONS = "Inspect and triage alerts captured by Eyes. Read complete alert "
            + "evidence before resolving, grouping alerts, or creating future auto-group rules. get_alert gives the "
            + "evidence: the log lines, metric and disk samples that raised the alert, the AI assessment, the "
            + "reviews and the similar alerts. Acknowledge a group while you work on it so Eyes stops notifying about "
            + "it; create a silence to mute alerts you expect (maintenance); get_health says whether the observer "
            + "is running.";

    /** The SDK's tool-input and output validation is not used: {@link Args} checks inputs with plain messages. */
    private static final JsonSchemaValidator NO_VALIDATION = (schema, content) ->
            JsonSchemaValidator.ValidationResponse.asValid(null);

    private final Stores stores;
    private final AlertTools tools;
    private final String version;

    /** On an open database. */
    public EyesMcpServer(Database db, String version, InstantSource clock) {
        this(CompletableFuture.completedFuture(db), db.path(), version, clock);
    }

    /**
     * On a database still opening (see {@link Stores}): the handshake does not wait for it; tool calls do, and
     * answer with the reason if it fails.
     */
    public EyesMcpServer(CompletableFuture<Database> opening, Path path, String version, InstantSource clock) {
        this.stores = new Stores(opening, path, clock);
        this.tools = new AlertTools(stores);
        this.version = version;
    }

    /** The tools as {@code tools/list} shows them. */
    public List<McpSchema.Tool> tools() {
        return tools.all().stream().map(AlertTools.Definition::tool).toList();
    }

    /**
     * Serves one client: reads requests from {@code in} and answers on {@code out} until {@code in} ends, then lets
     * running requests answer (at most {@link StdioTransport#DRAIN}) and returns.
     */
    public void serve(InputStream in, OutputStream out) throws InterruptedException {
        McpJsonMapper json = new JacksonMcpJsonMapper(JsonMapper.builder().build());
        StdioTransport transport = new StdioTransport(json, in, out);
        McpSyncServer server = McpServer.sync(transport)
                .serverInfo(McpSchema.Implementation.builder(NAME, version).title(TITLE).build())
                .instructions(INSTRUCTIONS)
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                .jsonMapper(json)
                .jsonSchemaValidator(NO_VALIDATION)
                .validateToolInputs(false)
                .tools(tools.all().stream().map(this::specification).toList())
                .build();
        transport.start();
        try {
            transport.awaitClosed();
        } finally {
            try {
                server.close();
            } catch (RuntimeException e) {
                LOG.debug("closing the MCP server: {}", e.toString());
            }
        }
    }

    private McpServerFeatures.SyncToolSpecification specification(AlertTools.Definition d) {
        return McpServerFeatures.SyncToolSpecification.builder()
                .tool(d.tool())
                .callHandler((exchange, request) -> call(d, exchange, request.arguments()))
                .build();
    }

    /** Runs one tool call; whatever happens, the answer is a tool result. */
    McpSchema.CallToolResult call(AlertTools.Definition d, McpSyncServerExchange exchange, Map<String, Object> args) {
        long t0 = System.nanoTime();
        String outcome = "ok";
        try {
            String client = exchange == null || exchange.getClientInfo() == null ? null
                    : exchange.getClientInfo().name();
            ObjectNode result = d.handler().call(new Args(d.name(), args, d.schema()), new AlertTools.Caller(client));
            return success(result);
        } catch (ToolError | AlertException e) {
            outcome = e.getMessage();
            return failure(e.getMessage());
        } catch (StoreException e) {
            outcome = e.getMessage();
            LOG.warn("{}: {}", d.name(), e.getMessage());
            return failure(e.getMessage());
        } catch (RuntimeException e) {
            outcome = e.toString();
            LOG.error("{} failed", d.name(), e);
            return failure("internal error in " + d.name() + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } finally {
            LOG.debug("{} in {} ms: {}", d.name(), (System.nanoTime() - t0) / 1_000_000, outcome);
        }
    }

    static McpSchema.CallToolResult success(ObjectNode result) {
        return McpSchema.CallToolResult.builder()
                .addTextContent(result.toString())
                .structuredContent(result)
                .isError(false)
                .build();
    }

    static McpSchema.CallToolResult failure(String message) {
        ObjectNode error = JsonTrees.object();
        error.put("error", message);
        return McpSchema.CallToolResult.builder()
                .addTextContent(message)
                .structuredContent(error)
                .isError(true)
                .build();
    }

    /** Closes the stores' pooled connections. */
    @Override
    public void close() {
        stores.close();
    }
}
