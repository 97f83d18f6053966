package io.hyperops.task.backup.crypto;

import org.junit.jupiter.api.Test;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The ECB-based CFB decryption gives the JDK's AES/CFB output, however the reads below and above are cut. */
class TestCfbInputStream
{
    @Test
    void matchesTheJdkCfbForEveryWayOfCuttingTheReads()
            throws Exception
    {
        Random random = new Random(7);
        byte[] key = new byte[32];
        random.nextBytes(key);
        for (int round = 0; round < 60; round++) {
            byte[] plain = new byte[round < 20 ? round : random.nextInt(300_000)];
            random.nextBytes(plain);
            Cipher jdk = Cipher.getInstance("AES/CFB/NoPadding");
            jdk.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(new byte[16]));
            byte[] cipherText = jdk.doFinal(plain);

            ByteArrayOutputStream decrypted = new ByteArrayOutputStream();
            try (InputStream in = new CfbInputStream(new Trickle(new ByteArrayInputStream(cipherText), random), key)) {
                byte[] buffer = new byte[100_000];
                while (true) {
                    int wanted = random.nextInt(4) == 0 ? 1 : 1 + random.nextInt(buffer.length - 1);
                    if (wanted == 1 && random.nextBoolean()) {
                        int value = in.read();
                        if (value < 0) {
                            break;
                        }
                        decrypted.write(value);
                        continue;
                    }
                    int read = in.read(buffer, 0, wanted);
                    if (read < 0) {
                        break;
                    }
                    decrypted.write(buffer, 0, read);
                }
            }
            assertThat(decrypted.toByteArray()).as("round %d, %d bytes", round, plain.length).isEqualTo(plain);
        }
    }

    /** Hands out fewer bytes than asked, as a pipe or a packet parser does. */
    private static final class Trickle
            extends FilterInputStream
    {
        private final Random random;

        Trickle(InputStream in, Random random)
        {
            super(in);
            this.random = random;
        }

        @Override
        public int read(byte[] bytes, int offset, int length)
                throws IOException
        {
            return super.read(bytes, offset, Math.max(1, random.nextInt(length + 1)));
        }
    }
}
