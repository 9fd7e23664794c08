package io.sluice.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A TCP proxy in front of the test PostgreSQL server that loses the answer to the COMMIT of the first transaction that
 * records a load ({@code INSERT INTO …"_sluice_loads"}): it passes the COMMIT on, lets the server commit, then cuts
 * the connection before the client hears back — what a network failure at the worst moment does. Everything else
 * passes untouched. It declines TLS for the server (answering the client's SSLRequest with 'N' itself), so that it
 * can see the statements go by.
 */
public final class CommitCuttingProxy implements AutoCloseable {
    private static final byte[] LOAD_RECORD = "_sluice_loads\" VALUES".getBytes(StandardCharsets.US_ASCII);
    private static final int SSL_REQUEST_CODE = 80877103;

    private final ServerSocket listener;
    private final AtomicBoolean armed = new AtomicBoolean(true);
    private volatile boolean cut;

    public CommitCuttingProxy() throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("commit-cutting-proxy").start(this::accept);
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Whether a COMMIT went through and its answer was lost. */
    public boolean cut() {
        return cut;
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(PostgresServer.HOST, PostgresServer.PORT);
                AtomicBoolean answersLost = new AtomicBoolean();
                Thread.ofVirtual().start(() -> clientToServer(client, server, answersLost));
                Thread.ofVirtual().start(() -> serverToClient(server, client, answersLost));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void clientToServer(Socket client, Socket server, AtomicBoolean answersLost) {
        try (client; server) {
            InputStream in = client.getInputStream();
            OutputStream out = server.getOutputStream();
            byte[] first = in.readNBytes(8);
            if (first.length == 8 && ByteBuffer.wrap(first).getInt(4) == SSL_REQUEST_CODE) {
                client.getOutputStream().write('N');
            } else {
                out.write(first);
            }
            byte[] buffer = new byte[1 << 16];
            boolean recordedLoad = false;
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                // The load's record is its transaction's last statement: what the client sends next is the COMMIT (as
                // text, or as a statement the driver prepared once it had committed a few times on this connection).
                boolean cutting = recordedLoad && armed.compareAndSet(true, false);
                recordedLoad |= contains(buffer, read, LOAD_RECORD);
                // Silenced before the COMMIT leaves: its answer must not slip through.
                answersLost.set(cutting);
                out.write(buffer, 0, read);
                out.flush();
                if (cutting) {
                    cut = true;
                    // Nothing more reaches the server; the other direction hangs up once the server has answered.
                    in.transferTo(OutputStream.nullOutputStream());
                    return;
                }
            }
        } catch (IOException e) {
            // one side went away: so does the other
        }
    }

    /** Relays the server's answers until one comes that must be lost; then hangs up on both. */
    private static void serverToClient(Socket from, Socket to, AtomicBoolean answersLost) {
        try {
            InputStream in = from.getInputStream();
            byte[] buffer = new byte[1 << 16];
            for (int read = in.read(buffer); read >= 0 && !answersLost.get(); read = in.read(buffer)) {
                to.getOutputStream().write(buffer, 0, read);
            }
        } catch (IOException e) {
            // one side went away
        } finally {
            try {
                from.close();
                to.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    private static boolean contains(byte[] buffer, int length, byte[] marker) {
        outer:
        for (int i = 0; i + marker.length <= length; i++) {
            for (int j = 0; j < marker.length; j++) {
                if (buffer[i + j] != marker[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
