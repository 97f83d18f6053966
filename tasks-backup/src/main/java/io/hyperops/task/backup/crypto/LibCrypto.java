package io.hyperops.task.backup.crypto;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * The few calls of OpenSSL's libcrypto that the archive encryption uses: AES-256-CBC encryption of whole
 * blocks. The JDK's AES is hardware-accelerated per block, but its CFB and CBC modes chain the blocks in
 * Java and run at about a third of OpenSSL's speed, and OpenPGP's CFB is serial, so the cipher decides
 * how fast an encrypted backup runs (docs/benchmarks.md). Optional: without libcrypto the JDK's AES is
 * used and only the speed differs.
 */
final class LibCrypto
{
    private static final Logger LOG = LoggerFactory.getLogger(LibCrypto.class);
    // The versioned name: the bare libcrypto.so exists only with libssl-dev installed.
    private static final String[] NAMES = {"libcrypto.so.3", "crypto"};
    private static final Optional<Calls> CALLS = load();

    private LibCrypto() {}

    static Optional<Calls> calls()
    {
        return CALLS;
    }

    interface Calls
            extends Library
    {
        Pointer EVP_CIPHER_CTX_new();

        void EVP_CIPHER_CTX_free(Pointer context);

        Pointer EVP_aes_256_cbc();

        int EVP_EncryptInit_ex(Pointer context, Pointer cipher, Pointer engine, byte[] key, byte[] iv);

        int EVP_CIPHER_CTX_set_padding(Pointer context, int padding);

        // Direct buffers go in by address, from their position: no copy through JNA.
        int EVP_EncryptUpdate(Pointer context, ByteBuffer out, IntByReference outLength, ByteBuffer in, int inLength);
    }

    private static Optional<Calls> load()
    {
        if (Boolean.getBoolean("hyperops.backup.jdk-aes")) {
            return Optional.empty();
        }
        for (String name : NAMES) {
            try {
                Calls calls = Native.load(name, Calls.class);
                if (calls.EVP_aes_256_cbc() != null) {
                    return Optional.of(calls);
                }
            }
            catch (LinkageError e) {
                LOG.debug("libcrypto not loaded as {}: {}", name, e.toString());
            }
        }
        LOG.info("OpenSSL's libcrypto (package libssl3) was not found; archives are encrypted with the JDK's AES, which is slower");
        return Optional.empty();
    }
}
