package io.edgestop.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JvmDefaultsTest {

    private String before;

    @BeforeEach
    void remember() {
        before = System.getProperty(JvmDefaults.MAX_CACHED_BUFFER);
    }

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(JvmDefaults.MAX_CACHED_BUFFER);
        } else {
            System.setProperty(JvmDefaults.MAX_CACHED_BUFFER, before);
        }
    }

    @Test
    void boundsTheCachedSocketBuffersWhenTheOperatorDidNot() {
        System.clearProperty(JvmDefaults.MAX_CACHED_BUFFER);
        JvmDefaults.apply();
        assertEquals("262144", System.getProperty(JvmDefaults.MAX_CACHED_BUFFER));
    }

    @Test
    void keepsTheOperatorsValue() {
        System.setProperty(JvmDefaults.MAX_CACHED_BUFFER, "65536");
        JvmDefaults.apply();
        assertEquals("65536", System.getProperty(JvmDefaults.MAX_CACHED_BUFFER));
    }
}
