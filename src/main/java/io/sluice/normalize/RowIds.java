package io.sluice.normalize;

import java.nio.charset.StandardCharsets;

/**
 * Row ids: 128 bits, 22 base64url characters, derived only from the load, the resource, the item's position and
 * the path to a nested row. The same load package therefore gives the same ids every time it is normalized,
 * which is what lets a resumed load recognise rows it already wrote.
 */
final class RowIds {
    private static final byte[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
            .getBytes(StandardCharsets.US_ASCII);

    private final long seedHigh;
    private final long seedLow;

    RowIds(String loadId, String resource) {
        long hash = fnv(loadId + "/" + resource);
        this.seedHigh = mix(hash);
        this.seedLow = mix(hash ^ 0x9E3779B97F4A7C15L);
    }

    Id root(long ordinal) {
        return new Id(mix(seedHigh + ordinal * 0xBF58476D1CE4E5B9L), mix(seedLow ^ (ordinal * 0x94D049BB133111EBL)));
    }

    static Id child(Id parent, long tableSalt, long index) {
        return new Id(mix(parent.high() ^ tableSalt ^ (index * 0xBF58476D1CE4E5B9L)),
                mix(parent.low() + tableSalt * 0x94D049BB133111EBL + index));
    }

    static long salt(String table) {
        return mix(fnv(table));
    }

    record Id(long high, long low) {
        /** The characters of an id, all ASCII. */
        static final int LENGTH = 22;

        @Override
        public String toString() {
            byte[] text = new byte[LENGTH];
            writeTo(text, 0);
            // Latin-1 bytes become the string's own as they are; characters would be narrowed one by one.
            return new String(text, StandardCharsets.ISO_8859_1);
        }

        /** Writes the id's characters as ASCII bytes into {@code into} from {@code offset}. */
        void writeTo(byte[] into, int offset) {
            for (int i = 0; i < 11; i++) {
                into[offset + i] = ALPHABET[(int) ((high >>> (i * 6)) & 63)];
                into[offset + 11 + i] = ALPHABET[(int) ((low >>> (i * 6)) & 63)];
            }
        }
    }

    /** SplitMix64's finaliser: every input bit affects every output bit. */
    private static long mix(long value) {
        long z = value;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static long fnv(String text) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        return hash;
    }
}
