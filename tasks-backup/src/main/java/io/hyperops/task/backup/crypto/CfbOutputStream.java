package io.hyperops.task.backup.crypto;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * AES-256 in CFB mode (128-bit feedback, zero IV: what OpenPGP's integrity-protected packets use),
 * computed with OpenSSL's AES-CBC.
 *
 * <p>CFB encrypts block i as {@code C[i] = P[i] xor E(C[i-1])}. CBC encryption of a sequence Q with a
 * zero IV gives {@code D[i] = E(Q[i] xor D[i-1])}. Feeding CBC the CFB IV first and then the plaintext
 * one block behind ({@code Q[0] = IV}, {@code Q[i] = P[i-1]}) makes {@code D[i] = E(P[i-1] xor D[i-1]) =
 * E(C[i-1])}, exactly CFB's keystream, because {@code P[i-1] xor D[i-1]} is {@code C[i-1]}. So one
 * native call turns a run of whole plaintext blocks into the keystream of the blocks after them, and
 * the XOR is a plain Java loop. {@code TestCfbOutputStream} checks it against the JDK's AES/CFB.
 */
final class CfbOutputStream
        extends FilterOutputStream
{
    private static final int BLOCK = 16;
    private static final int BATCH = 1 << 20;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final LibCrypto.Calls calls;
    private final Pointer context;
    private final ByteBuffer plainIn = ByteBuffer.allocateDirect(BATCH);
    private final ByteBuffer keystreamOut = ByteBuffer.allocateDirect(BATCH).order(ByteOrder.LITTLE_ENDIAN);
    private final IntByReference produced = new IntByReference();
    private final byte[] cipher = new byte[BATCH];
    // keystream of the block being filled; pending holds its plaintext until it is whole
    private final byte[] next = new byte[BLOCK];
    private final byte[] pending = new byte[BLOCK];
    private int used;
    private boolean closed;

    CfbOutputStream(OutputStream out, LibCrypto.Calls calls, byte[] key)
            throws IOException
    {
        super(out);
        this.calls = calls;
        this.context = calls.EVP_CIPHER_CTX_new();
        if (context == null) {
            throw new IOException("OpenSSL could not allocate a cipher context");
        }
        try {
            if (calls.EVP_EncryptInit_ex(context, calls.EVP_aes_256_cbc(), null, key, new byte[BLOCK]) != 1 || calls.EVP_CIPHER_CTX_set_padding(context, 0) != 1) {
                throw new IOException("OpenSSL refused the AES-256 key");
            }
            // D[0] = E(IV), with OpenPGP's zero IV
            cbc(new byte[BLOCK], 0, BLOCK);
            keystreamOut.get(next, 0, BLOCK);
        }
        catch (IOException | RuntimeException e) {
            calls.EVP_CIPHER_CTX_free(context);
            throw e;
        }
    }

    @Override
    public void write(int value)
            throws IOException
    {
        write(new byte[] {(byte) value}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length)
            throws IOException
    {
        int at = offset;
        int end = offset + length;
        if (used > 0) {
            at = fillPending(bytes, at, end);
        }
        while (end - at >= BLOCK) {
            int run = Math.min(BATCH, (end - at) & -BLOCK);
            encryptWholeBlocks(bytes, at, run);
            at += run;
        }
        if (at < end) {
            fillPending(bytes, at, end);
        }
    }

    @Override
    public void flush()
            throws IOException
    {
        out.flush();
    }

    /** Frees the native context and closes the stream below; a partial last block is already written. */
    @Override
    public void close()
            throws IOException
    {
        if (closed) {
            return;
        }
        closed = true;
        Arrays.fill(next, (byte) 0);
        Arrays.fill(pending, (byte) 0);
        calls.EVP_CIPHER_CTX_free(context);
        out.close();
    }

    /** Encrypts bytes into the block being filled; when it is whole, derives the next keystream block. */
    private int fillPending(byte[] bytes, int at, int end)
            throws IOException
    {
        int count = Math.min(BLOCK - used, end - at);
        for (int i = 0; i < count; i++) {
            pending[used + i] = bytes[at + i];
            cipher[i] = (byte) (bytes[at + i] ^ next[used + i]);
        }
        out.write(cipher, 0, count);
        used += count;
        if (used == BLOCK) {
            cbc(pending, 0, BLOCK);
            keystreamOut.get(next, 0, BLOCK);
            used = 0;
        }
        return at + count;
    }

    /** Blocks B[0..n): B[0] takes the current keystream, B[j] the CBC output of B[j-1], the last output is next. */
    private void encryptWholeBlocks(byte[] bytes, int at, int length)
            throws IOException
    {
        cbc(bytes, at, length);
        // eight bytes at a time (whole blocks, so length is a multiple of 16), the keystream read where
        // OpenSSL left it rather than copied out first
        for (int i = 0; i < BLOCK; i += Long.BYTES) {
            LONGS.set(cipher, i, (long) LONGS.get(bytes, at + i) ^ (long) LONGS.get(next, i));
        }
        for (int i = BLOCK; i < length; i += Long.BYTES) {
            LONGS.set(cipher, i, (long) LONGS.get(bytes, at + i) ^ keystreamOut.getLong(i - BLOCK));
        }
        keystreamOut.get(length - BLOCK, next, 0, BLOCK);
        out.write(cipher, 0, length);
    }

    /** CBC-encrypts whole blocks; the output is left in keystreamOut, positioned at its start. */
    private void cbc(byte[] bytes, int at, int length)
            throws IOException
    {
        plainIn.clear();
        plainIn.put(bytes, at, length).flip();
        keystreamOut.clear();
        if (calls.EVP_EncryptUpdate(context, keystreamOut, produced, plainIn, length) != 1 || produced.getValue() != length) {
            throw new IOException("OpenSSL AES-256-CBC failed");
        }
        keystreamOut.limit(length);
    }
}
