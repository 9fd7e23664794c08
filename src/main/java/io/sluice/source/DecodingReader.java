package io.sluice.source;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;

/**
 * Decodes bytes in a charset, refusing bytes that are not valid in it, and says on which line they are: a parser
 * reads ahead, so the line it has reached when decoding fails is not the line of the bad bytes.
 */
final class DecodingReader extends Reader {
    /** Bytes that are not valid in the charset, on a line (1-based) of the text. */
    static final class InvalidBytesException extends CharacterCodingException {
        private final long line;
        private final String detail;

        InvalidBytesException(long line, String detail) {
            this.line = line;
            this.detail = detail;
        }

        long line() {
            return line;
        }

        @Override
        public String getMessage() {
            return detail;
        }
    }

    private final InputStream input;
    private final CharsetDecoder decoder;
    private final ByteBuffer bytes = ByteBuffer.allocate(1 << 16).flip();
    /** Line breaks in the text decoded so far. */
    private long lineBreaks;
    private boolean ended;
    private boolean flushed;

    DecodingReader(InputStream input, Charset charset) {
        this.input = input;
        this.decoder = charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    @Override
    public int read(char[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (flushed) {
            return -1;
        }
        CharBuffer out = CharBuffer.wrap(buffer, offset, length);
        while (out.position() == offset) {
            CoderResult result = decoder.decode(bytes, out, ended);
            if (result.isError()) {
                count(buffer, offset, out.position());
                throw new InvalidBytesException(lineBreaks + 1, (result.isMalformed() ? "malformed" : "unmappable")
                        + " input of " + result.length() + " byte(s) in " + decoder.charset().name());
            }
            if (result.isUnderflow() && ended) {
                decoder.flush(out);
                flushed = true;
                break;
            }
            if (result.isUnderflow() && out.position() == offset) {
                fill();
            }
        }
        return out.position() == offset ? -1 : count(buffer, offset, out.position());
    }

    /** Reads more bytes behind those not yet decoded. */
    private void fill() throws IOException {
        bytes.compact();
        int read = input.read(bytes.array(), bytes.position(), bytes.remaining());
        if (read < 0) {
            ended = true;
        } else {
            bytes.position(bytes.position() + read);
        }
        bytes.flip();
    }

    private int count(char[] buffer, int from, int to) {
        for (int i = from; i < to; i++) {
            if (buffer[i] == '\n') {
                lineBreaks++;
            }
        }
        return to - from;
    }

    @Override
    public void close() throws IOException {
        input.close();
    }
}
