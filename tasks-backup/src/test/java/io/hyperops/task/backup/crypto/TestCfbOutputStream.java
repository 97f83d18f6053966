package io.hyperops.task.backup.crypto;

import org.junit.jupiter.api.Test;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import java.io.ByteArrayOutputStream;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The OpenSSL-backed CFB gives the JDK's AES/CFB output byte for byte, however the writes are cut. */
class TestCfbOutputStream
{
    @Test
    void matchesTheJdkCfbForEveryWayOfCuttingTheWrites()
            throws Exception
    {
        LibCrypto.Calls calls = LibCrypto.calls().orElseThrow(() -> new AssertionError("libcrypto.so.3 (package libssl3) must be installed on the test machine"));
        Random random = new Random(42);
        byte[] key = new byte[32];
        random.nextBytes(key);
        for (int round = 0; round < 60; round++) {
            byte[] plain = new byte[round < 20 ? round : random.nextInt(4 << 20)];
            random.nextBytes(plain);
            Cipher jdk = Cipher.getInstance("AES/CFB/NoPadding");
            jdk.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(new byte[16]));
            byte[] expected = jdk.doFinal(plain);

            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            try (CfbOutputStream cfb = new CfbOutputStream(sink, calls, key)) {
                int at = 0;
                while (at < plain.length) {
                    // single bytes, pieces of a block, and runs longer than the internal batch
                    int length = Math.min(plain.length - at, switch (random.nextInt(4)) {
                        case 0 -> 1;
                        case 1 -> random.nextInt(40);
                        case 2 -> random.nextInt(5000);
                        default -> random.nextInt(2_500_000);
                    });
                    if (length == 1 && random.nextBoolean()) {
                        cfb.write(plain[at]);
                    }
                    else {
                        cfb.write(plain, at, length);
                    }
                    at += length;
                }
            }
            assertThat(sink.toByteArray()).as("round %d, %d bytes", round, plain.length).isEqualTo(expected);
        }
    }
}
