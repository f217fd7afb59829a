package io.edgestop.orchestrator.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteOptions;

/**
 * The shared budget on real RocksDB instances, as many as an orchestrator with 6 partitions opens:
 * writes far below the memtable budget stay in the memtables (no memtable is switched for a flush),
 * so a put costs a memtable insert and not a flush.
 */
class BoundedRocksDbTest {

    private static final int STORES = 31;
    private static final int PUTS_PER_STORE = 2_000;

    @Test
    void writesUnderTheBudgetStayInTheMemtables(@TempDir Path dir) throws Exception {
        RocksDB.loadLibrary();
        Map<String, Object> configs = Map.of(BoundedRocksDb.TOTAL_BYTES, Long.toString(64L << 20),
                BoundedRocksDb.MEMTABLE_BYTES, Long.toString(16L << 20));
        BoundedRocksDb setter = new BoundedRocksDb();
        List<Options> options = new ArrayList<>();
        List<RocksDB> stores = new ArrayList<>();
        try (WriteOptions noWal = new WriteOptions().setDisableWAL(true)) {
            for (int s = 0; s < STORES; s++) {
                Options o = new Options().setCreateIfMissing(true).setTableFormatConfig(new BlockBasedTableConfig());
                setter.setConfig("store-" + s, o, configs);
                options.add(o);
                stores.add(RocksDB.open(o, dir.resolve("store-" + s).toString()));
            }
            // about 100 bytes a record, 6 MB in all: under the 16 MB of memtables, spread like a task's writes
            for (int i = 0; i < PUTS_PER_STORE; i++) {
                for (RocksDB db : stores) {
                    db.put(noWal, ("account-" + i + "\naccess-key\nnonce-" + i).getBytes(StandardCharsets.UTF_8),
                            new byte[48]);
                }
            }
            for (int s = 0; s < STORES; s++) {
                assertEquals(PUTS_PER_STORE, stores.get(s).getLongProperty("rocksdb.num-entries-active-mem-table"),
                        "store " + s + " switched its memtable for a flush");
            }
        } finally {
            stores.forEach(RocksDB::close);
            options.forEach(Options::close);
        }
    }
}
