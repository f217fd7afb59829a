package io.edgestop.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.edgestop.adapter.auth.AcsEncoding;
import io.edgestop.adapter.auth.SignatureV1;

/** {@code edge-stop call} takes the AccessKeySecret from a file or the environment, never from argv. */
class CallCommandTest {

    static final String SECRET = "file-secret/+=";

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = EdgeStopCli.commandLine(new PrintWriter(out), new PrintWriter(err)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void theSecretOnTheCommandLineIsRefusedWithAClearError() {
        Run r = run("call", "--access-key-id", "AK", "--access-key-secret", SECRET, "--cluster-id", "c", "--job-id", "j",
                "--print-url");
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("--access-key-secret is no longer accepted")
                && r.err().contains("--access-key-secret-file") && r.err().contains(CallCommand.SECRET_ENV), r.err());
        assertFalse(r.out().contains(SECRET) || r.err().contains(SECRET), "the refused secret is not echoed");
    }

    @Test
    void theSecretFromAFileSignsTheCall(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("secret"), SECRET + "\nignored second line\n");
        Run r = run("call", "--access-key-id", "AK", "--access-key-secret-file", file.toString(), "--cluster-id", "c",
                "--job-id", "j", "--print-url");
        assertEquals(0, r.code(), r.err());
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : URI.create(r.out().strip()).getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            params.put(AcsEncoding.decode(kv[0]), AcsEncoding.decode(kv[1]));
        }
        String signature = params.remove("Signature");
        assertEquals(SignatureV1.sign(SECRET, SignatureV1.stringToSign("GET", params)), signature);
    }

    @Test
    void anEmptySecretFileIsRefused(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("secret"), "\n");
        Run r = run("call", "--access-key-id", "AK", "--access-key-secret-file", file.toString(), "--cluster-id", "c",
                "--job-id", "j", "--print-url");
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("the first line is empty"), r.err());
    }
}
