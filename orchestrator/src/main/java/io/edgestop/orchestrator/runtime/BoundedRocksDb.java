package io.edgestop.orchestrator.runtime;

import java.util.Map;

import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Bounds the native memory of every RocksDB store of the process: one block cache shared by all
 * stores (index and filter blocks included) and one write-buffer manager charging every memtable
 * to that cache, instead of Kafka Streams' default of a 50 MB block cache plus up to 3 x 16 MB
 * memtables per store (and an orchestrator instance has several stores per task). Sizes come from
 * {@code rocksdb.memory.mb} and {@code rocksdb.memtable.mb}; the cache and manager are shared by
 * every store and live as long as the process, as Kafka Streams' memory-management guide shows.
 */
public final class BoundedRocksDb implements RocksDBConfigSetter {

    static final String TOTAL_BYTES = "edgestop.rocksdb.total.bytes";
    static final String MEMTABLE_BYTES = "edgestop.rocksdb.memtable.bytes";
    private static final long BLOCK_SIZE = 16 * 1024;
    private static final long ARENA_BLOCK_SIZE = 64 * 1024;

    private static Cache cache;
    private static WriteBufferManager writeBuffers;

    private static synchronized void share(long totalBytes, long memtableBytes) {
        if (cache == null) {
            // 10% of the cache kept for index and filter blocks (high priority) so data blocks cannot evict them
            cache = new LRUCache(totalBytes, -1, false, 0.1);
            writeBuffers = new WriteBufferManager(memtableBytes, cache);
        }
    }

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        long total = Long.parseLong(String.valueOf(configs.get(TOTAL_BYTES)));
        long memtables = Long.parseLong(String.valueOf(configs.get(MEMTABLE_BYTES)));
        share(total, memtables);
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(cache);
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        table.setBlockSize(BLOCK_SIZE);
        options.setTableFormatConfig(table);
        options.setWriteBufferManager(writeBuffers);
        // The manager flushes when all memtables together reach its size, so a store's own memtable may be large.
        // A memtable charges the manager by arena block (default write-buffer size / 8, 512 KiB here) as soon
        // as it holds a record: with some 30 stores that alone filled the 16 MB and every few kilobytes written
        // flushed a memtable, piling up level-0 files until writes were slowed (native time in RocksDB.put).
        // Small blocks charge about what a memtable holds.
        options.setArenaBlockSize(ARENA_BLOCK_SIZE);
        options.setWriteBufferSize(Math.max(1 << 20, memtables / 4));
        // a full memtable is switched while the previous one is still being flushed, instead of stalling the writer
        options.setMaxWriteBufferNumber(3);
    }

    @Override
    public void close(String storeName, Options options) {
        // the cache and the write-buffer manager are shared by every store: never closed per store
    }
}
