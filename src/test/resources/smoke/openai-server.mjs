// A minimal OpenAI-compatible chat-completions server around node-llama-cpp, for Eyes' smoke test against a
// real inference engine. Usage: NODE_PATH=<node_modules> node openai-server.mjs <model.gguf>
// Prints "listening <port>" once ready. One request at a time (one context sequence); streams server-sent events.
import http from "node:http";
import {createRequire} from "node:module";

const require = createRequire(process.env.NODE_PATH.replace(/\/?$/, "/") + "x.js");
const {getLlama, LlamaCompletion} = await import(require.resolve("node-llama-cpp"));

const modelPath = process.argv[2];
const llama = await getLlama({gpu: false, build: "never"});
const model = await llama.loadModel({modelPath});
const context = await model.createContext({threads: 1});
const completion = new LlamaCompletion({contextSequence: context.getSequence()});
const modelId = "eyes-tiny";
let queue = Promise.resolve();

function send(res, status, body) {
    res.writeHead(status, {"Content-Type": "application/json"});
    res.end(JSON.stringify(body));
}

const server = http.createServer((req, res) => {
    if (req.method === "GET" && req.url === "/v1/models") {
        return send(res, 200, {object: "list", data: [{id: modelId, object: "model", owned_by: "local"}]});
    }
    if (req.method !== "POST" || req.url !== "/v1/chat/completions") {
        return send(res, 404, {error: {message: "not found", type: "invalid_request_error"}});
    }
    let raw = "";
    req.on("data", c => raw += c);
    req.on("end", () => {
        queue = queue.then(() => answer(raw, res)).catch(e => {
            if (!res.headersSent) send(res, 500, {error: {message: String(e), type: "server_error"}});
            else res.end();
        });
    });
});

async function answer(raw, res) {
    const body = JSON.parse(raw);
    const text = body.messages.map(m => m.content).join("\n");
    const prompt = "Q: " + text + "\nA:";
    const tokens = model.tokenize(prompt);
    const maxTokens = Math.min(body.max_tokens ?? 64, 64);
    if (tokens.length + maxTokens > context.contextSize) {
        return send(res, 400, {error: {
            message: `the request exceeds the available context size (${tokens.length} prompt tokens + ${maxTokens}`
                + ` > ${context.contextSize})`, type: "invalid_request_error", code: "context_length_exceeded"}});
    }
    const id = "chatcmpl-smoke", created = Math.floor(Date.now() / 1000);
    const chunk = (delta, finish) => "data: " + JSON.stringify({id, object: "chat.completion.chunk", created,
        model: modelId, choices: [{index: 0, delta, finish_reason: finish}]}) + "\n\n";
    if (body.stream) {
        res.writeHead(200, {"Content-Type": "text/event-stream", "Cache-Control": "no-cache"});
        res.write(chunk({role: "assistant", content: ""}, null));
    }
    let all = "";
    await completion.generateCompletion(prompt, {maxTokens, temperature: body.temperature ?? 0,
        onTextChunk: t => { all += t; if (body.stream) res.write(chunk({content: t}, null)); }});
    if (body.stream) {
        res.write(chunk({}, "length"));
        res.end("data: [DONE]\n\n");
    } else {
        send(res, 200, {id, object: "chat.completion", created, model: modelId,
            choices: [{index: 0, message: {role: "assistant", content: all}, finish_reason: "length"}]});
    }
}

server.listen(0, "127.0.0.1", () => console.log("listening " + server.address().port));
