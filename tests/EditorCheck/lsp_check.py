#!/usr/bin/env python3
"""Drives a C# language server over LSP stdio: initialize, open the sample's files, collect
diagnostics (pushed by textDocument/publishDiagnostics and, if the server offers it, pulled by
textDocument/diagnostic), and print every AGG diagnostic with line:column and the source text
at its span. Exit code 0 when at least one AGG diagnostic was seen, 1 otherwise."""
import json, os, subprocess, sys, threading, time, queue
from pathlib import Path

server, sample = sys.argv[1], Path(sys.argv[2]).resolve()
# csharp-ls runs analyzers only with its `csharp.analyzersEnabled` setting (default false), which it
# pulls with workspace/configuration; "off" answers with an empty section.
analyzers = (sys.argv[3] if len(sys.argv) > 3 else "on") == "on"
csharp_config = {"analyzersEnabled": True} if analyzers else {}
timeout = float(os.environ.get("EDITOR_CHECK_TIMEOUT", "240"))
files = sorted(sample.glob("*.cs"))
texts = {f.as_uri(): f.read_text() for f in files}

proc = subprocess.Popen([server, "--loglevel", "info"], cwd=sample, stdin=subprocess.PIPE,
                        stdout=subprocess.PIPE, stderr=open(sample.parent / "artifacts" / f"server.{'on' if analyzers else 'off'}.stderr.log", "w"))
inbox = queue.Queue()
log = open(sample.parent / "artifacts" / f"lsp.{'on' if analyzers else 'off'}.log", "w")

def reader():
    out = proc.stdout
    while True:
        headers = {}
        while True:
            line = out.readline()
            if not line:
                inbox.put(None); return
            line = line.decode().strip()
            if not line: break
            k, v = line.split(":", 1); headers[k.lower()] = v.strip()
        body = out.read(int(headers["content-length"]))
        inbox.put(json.loads(body))
threading.Thread(target=reader, daemon=True).start()

next_id = [0]
def send(msg):
    data = json.dumps(msg).encode()
    log.write(">> " + json.dumps(msg)[:2000] + "\n"); log.flush()
    proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(data) + data); proc.stdin.flush()
def request(method, params):
    next_id[0] += 1; send({"jsonrpc": "2.0", "id": next_id[0], "method": method, "params": params}); return next_id[0]
def notify(method, params): send({"jsonrpc": "2.0", "method": method, "params": params})

pushed, pulled, responses = {}, {}, {}
def pump(seconds):
    end = time.time() + seconds
    while time.time() < end:
        try: msg = inbox.get(timeout=max(0.05, end - time.time()))
        except queue.Empty: return
        if msg is None: raise SystemExit("the server exited; see artifacts/server.stderr.log")
        log.write("<< " + json.dumps(msg)[:4000] + "\n"); log.flush()
        if "id" in msg and "method" in msg:   # a request from the server: answer it
            result = [csharp_config if i.get("section") == "csharp" else {} for i in msg["params"].get("items", [])] \
                if msg["method"] == "workspace/configuration" else None
            send({"jsonrpc": "2.0", "id": msg["id"], "result": result})
        elif msg.get("method") == "textDocument/publishDiagnostics":
            pushed[msg["params"]["uri"]] = msg["params"]["diagnostics"]
        elif "id" in msg:
            responses[msg["id"]] = msg

def wait_response(rid, seconds):
    end = time.time() + seconds
    while rid not in responses and time.time() < end: pump(0.2)
    return responses.pop(rid, None)

init = wait_response(request("initialize", {
    "processId": os.getpid(), "initializationOptions": {"csharp": csharp_config}, "rootUri": sample.as_uri(), "rootPath": str(sample),
    "workspaceFolders": [{"uri": sample.as_uri(), "name": "Sample"}],
    "capabilities": {"textDocument": {"publishDiagnostics": {"relatedInformation": True},
                                      "diagnostic": {"dynamicRegistration": True}},
                     "workspace": {"configuration": True, "workspaceFolders": True},
                     "window": {"workDoneProgress": True}}}), 60)
if init is None: raise SystemExit("no initialize response")
caps = init["result"]["capabilities"]
print("analyzers enabled in the client's settings:", analyzers)
print("server:", init["result"].get("serverInfo"), "| diagnosticProvider:", json.dumps(caps.get("diagnosticProvider")))
notify("initialized", {})
for uri, text in texts.items():
    notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "csharp", "version": 1, "text": text}})

def agg(diags): return [d for d in diags if str(d.get("code", "")).startswith("AGG")]
start = time.time()
while time.time() - start < timeout:
    pump(3)
    for uri in texts:   # pull as well, whether or not the server advertised it (errors are ignored)
        resp = wait_response(request("textDocument/diagnostic", {"textDocument": {"uri": uri}}), 60)
        if resp and "result" in resp and resp["result"]:
            pulled[uri] = resp["result"].get("items", [])
    everything = {u: pushed.get(u, []) + pulled.get(u, []) for u in texts}
    compiler = sum(1 for u in texts for d in everything[u] if str(d.get("code", "")).startswith("CS"))
    if all(agg(d) for d in everything.values()):   # every file (each has AGG errors on purpose) shows them
        break
    if compiler and time.time() - start > 90:   # the project loaded and was analyzed, without AGG
        break

print(f"after {time.time() - start:.0f} s:")
seen = 0
for uri in texts:
    lines = texts[uri].splitlines()
    for source, diags in (("pushed", pushed.get(uri, [])), ("pulled", pulled.get(uri, []))):
        codes = sorted({str(d.get('code')) for d in diags})
        print(f"  {Path(uri).name} [{source}]: {len(diags)} diagnostics, codes {codes}")
        for d in sorted(agg(diags), key=lambda d: (d["range"]["start"]["line"], d["range"]["start"]["character"])):
            s, e = d["range"]["start"], d["range"]["end"]
            if s["line"] == e["line"]:
                text = lines[s["line"]][s["character"]:e["character"]]
            else:
                text = lines[s["line"]][s["character"]:] + " …"
            print(f"    {d['code']} {Path(uri).name}:{s['line'] + 1}:{s['character'] + 1} '{text}'  ({d['message'][:100]})")
            seen += 1
request("shutdown", None); pump(2); notify("exit", None)
try: proc.wait(10)
except subprocess.TimeoutExpired: proc.kill()
sys.exit(0 if seen else 1)
