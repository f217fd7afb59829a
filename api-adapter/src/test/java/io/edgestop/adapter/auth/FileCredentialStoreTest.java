package io.edgestop.adapter.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileCredentialStoreTest {

    @Test
    void fileCredentialStore(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("creds.json");
        Files.writeString(f, "{\"credentials\":[{\"accessKeyId\":\"AK1\",\"accessKeySecret\":\"S1\",\"accountId\":\"100\","
                + "\"principal\":\"acs:ram::100:user/a\"},{\"accessKeyId\":\"AK2\",\"accessKeySecret\":\"S2\",\"accountId\":\"200\"}]}");
        FileCredentialStore store = FileCredentialStore.load(f);
        assertEquals("acs:ram::100:user/a", store.find("AK1").orElseThrow().principal());
        assertEquals("acs:ram::200:root", store.find("AK2").orElseThrow().principal());
        assertTrue(store.find("AK3").isEmpty());
        assertFalse(store.toString().contains("S1"));
        Files.writeString(f, "{\"credentials\":[{\"accessKeyId\":\"AK1\"}]}");
        assertThrows(IllegalArgumentException.class, () -> FileCredentialStore.load(f));
        Files.writeString(f, "{\"credentials\":[{\"accessKeyId\":\"A\",\"accessKeySecret\":\"s\",\"accountId\":\"1\"},"
                + "{\"accessKeyId\":\"A\",\"accessKeySecret\":\"t\",\"accountId\":\"1\"}]}");
        assertThrows(IllegalArgumentException.class, () -> FileCredentialStore.load(f));
        Files.writeString(f, "{\"credentials\":[]}");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FileCredentialStore.load(f)).getMessage()
                .contains("holds no credentials"));
    }
}
