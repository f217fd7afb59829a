package io.edgestop.orchestrator;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.utils.Bytes;

/**
 * Key of a time-ordered index store: {@code 8-byte big-endian time + UTF-8 key}. RocksDB orders keys
 * bytewise, so a range from {@code of(0, "")} to {@code of(t, "")} reads the entries with a time
 * before {@code t} in time order (times are clamped at 0, so the sign bit never breaks the order).
 * Used for the nonce expiry index and the pending-stop deadline index.
 */
final class TimeIndexKey {

    private TimeIndexKey() {
    }

    static Bytes of(long time, String key) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(8 + k.length).putLong(Math.max(0, time)).put(k).array());
    }

    static long time(Bytes indexKey) {
        return ByteBuffer.wrap(indexKey.get()).getLong();
    }

    static String key(Bytes indexKey) {
        byte[] b = indexKey.get();
        return new String(b, 8, b.length - 8, StandardCharsets.UTF_8);
    }
}
