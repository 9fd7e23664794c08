"""A local paged REST API for scenario P3: serves the pages that generate.py wrote, from memory.

GET /records?page=N  →  {"data": [...], "page": N, "total_pages": T, "next": "/records?page=N+1" | null}
Pages past the last one are empty. Bound to 127.0.0.1 only; prints "listening PORT" once it serves.
Usage: python bench/rest_server.py DATA_DIR [--port 0]   (standard library only)
"""
import argparse
import json
import os
import sys
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def load_pages(folder):
    with open(os.path.join(folder, "manifest.json")) as handle:
        manifest = json.load(handle)
    pages = []
    for page in range(manifest["pages"]):
        with open(os.path.join(folder, f"page-{page}.json"), "rb") as handle:
            pages.append(handle.read())
    empty = json.dumps({"data": [], "page": None, "total_pages": manifest["pages"], "next": None}).encode()
    return pages, empty


def handler_for(pages, empty):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, like a real API behind a load balancer

        def do_GET(self):
            url = urllib.parse.urlsplit(self.path)
            if url.path.rstrip("/") != "/records":
                self.send_error(404)
                return
            query = urllib.parse.parse_qs(url.query)
            try:
                page = int(query.get("page", ["0"])[0])
            except ValueError:
                self.send_error(400, "page must be a number")
                return
            body = pages[page] if 0 <= page < len(pages) else empty
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format, *args):
            pass  # one line per request would cost more than serving it

    return Handler


def main(argv):
    parser = argparse.ArgumentParser()
    parser.add_argument("data")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    pages, empty = load_pages(args.data)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), handler_for(pages, empty))
    server.daemon_threads = True
    print(f"listening {server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main(sys.argv[1:])
