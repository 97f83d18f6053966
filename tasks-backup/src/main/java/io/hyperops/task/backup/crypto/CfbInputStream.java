package io.hyperops.task.backup.crypto;

import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * AES decryption in CFB mode (128-bit feedback, zero IV), as OpenPGP's integrity-protected packets use it.
 *
 * <p>Unlike encryption, CFB decryption needs no chaining: {@code P[i] = C[i] xor E(C[i-1])}, and every
 * {@code C[i-1]} is at hand. So the keystream of a whole run of blocks is one ECB encryption of the
 * ciphertext shifted by a block, which the JDK runs with AES-NI across blocks, some four times as fast
 * as its CFB mode that works block by block. {@code TestCfbInputStream} checks it against the JDK's AES/CFB.
 */
final class CfbInputStream
        extends FilterInputStream
{
    private static final int BLOCK = 16;
    private static final int RUN = 1 << 16;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final Cipher ecb;
    // [previous ciphertext block][ciphertext read][...]: the ECB input is the first n blocks of this
    private final byte[] cipherText = new byte[BLOCK + RUN];
    private final byte[] keystream = new byte[RUN];
    private final byte[] plain = new byte[RUN];
    private int carried;
    private int position;
    private int limit;
    private boolean ended;

    CfbInputStream(InputStream in, byte[] key)
            throws GeneralSecurityException
    {
        super(in);
        ecb = Cipher.getInstance("AES/ECB/NoPadding");
        ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
    }

    @Override
    public int read()
            throws IOException
    {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] bytes, int offset, int length)
            throws IOException
    {
        if (length == 0) {
            return 0;
        }
        while (position == limit) {
            if (ended) {
                return -1;
            }
            fill();
        }
        int count = Math.min(length, limit - position);
        System.arraycopy(plain, position, bytes, offset, count);
        position += count;
        return count;
    }

    @Override
    public long skip(long count)
            throws IOException
    {
        byte[] sink = new byte[(int) Math.min(count, RUN)];
        long skipped = 0;
        while (skipped < count) {
            int read = read(sink, 0, (int) Math.min(sink.length, count - skipped));
            if (read < 0) {
                break;
            }
            skipped += read;
        }
        return skipped;
    }

    @Override
    public int available()
    {
        return limit - position;
    }

    @Override
    public boolean markSupported()
    {
        return false;
    }

    @Override
    public void close()
            throws IOException
    {
        Arrays.fill(plain, (byte) 0);
        Arrays.fill(keystream, (byte) 0);
        super.close();
    }

    /** Reads ciphertext, decrypts its whole blocks (and at the end of the stream a last partial one). */
    private void fill()
            throws IOException
    {
        int read = in.read(cipherText, BLOCK + carried, RUN - carried);
        if (read < 0) {
            ended = true;
        }
        int available = carried + Math.max(read, 0);
        int whole = ended ? available : available & -BLOCK;
        if (whole == 0) {
            carried = available;
            position = 0;
            limit = 0;
            return;
        }
        int blocks = (whole + BLOCK - 1) / BLOCK;
        try {
            ecb.update(cipherText, 0, blocks * BLOCK, keystream, 0);
        }
        catch (ShortBufferException e) {
            throw new IllegalStateException(e);
        }
        int longs = whole & -Long.BYTES;
        for (int i = 0; i < longs; i += Long.BYTES) {
            LONGS.set(plain, i, (long) LONGS.get(cipherText, BLOCK + i) ^ (long) LONGS.get(keystream, i));
        }
        for (int i = longs; i < whole; i++) {
            plain[i] = (byte) (cipherText[BLOCK + i] ^ keystream[i]);
        }
        if (!ended) {
            // the last whole ciphertext block feeds the next run; a partial one waits for its rest
            System.arraycopy(cipherText, whole, cipherText, 0, BLOCK);
            carried = available - whole;
            System.arraycopy(cipherText, BLOCK + whole, cipherText, BLOCK, carried);
        }
        position = 0;
        limit = whole;
    }
}
