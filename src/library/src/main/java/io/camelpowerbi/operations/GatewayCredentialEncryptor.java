package io.camelpowerbi.operations;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts data source credentials with an on-premises gateway's public key exactly as Microsoft's SDKs do
 * (microsoft/PowerBI-CSharp sdk/PowerBI.Api/Extensions/AsymmetricKeyEncryptor.cs, and the Java sample in
 * microsoft/PowerBI-Developer-Samples Java/EncryptCredentials): a 1024-bit key (modulus of 128 bytes) encrypts 85-byte
 * segments with RSA-OAEP (SHA-1), concatenated, in one base64 string; a larger key encrypts a fresh AES-256 key and
 * HMAC-SHA256 key with RSA-OAEP (SHA-256, MGF1-SHA-256), and the credentials with AES-256-CBC authenticated by the
 * HMAC: base64(encrypted keys) + base64(algorithm bytes, tag, IV, ciphertext).
 */
public final class GatewayCredentialEncryptor {

    private static final int SMALL_MODULUS = 128;
    private static final int SEGMENT = 85;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final PublicKey key;
    private final int modulusLength;

    /** From the gateway's {@code publicKey}: base64 big-endian {@code exponent} and {@code modulus}. */
    public GatewayCredentialEncryptor(String exponent, String modulus) {
        byte[] n = Base64.getDecoder().decode(modulus);
        byte[] e = Base64.getDecoder().decode(exponent);
        this.modulusLength = n.length;
        try {
            this.key = KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(new BigInteger(1, n), new BigInteger(1, e)));
        } catch (GeneralSecurityException ex) {
            throw new IllegalArgumentException("the gateway's public key is not an RSA key: " + ex.getMessage(), ex);
        }
    }

    /** The credentials JSON (e.g. {@code {"credentialData":[{"name":"username","value":...},...]}}) encrypted. */
    public String encrypt(String credentialsJson) {
        byte[] plain = credentialsJson.getBytes(StandardCharsets.UTF_8);
        try {
            return modulusLength == SMALL_MODULUS ? segmented(plain) : hybrid(plain);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encrypting the credentials failed: " + e.getMessage(), e);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    private String segmented(byte[] plain) throws GeneralSecurityException {
        Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPPadding");
        rsa.init(
                Cipher.ENCRYPT_MODE,
                key,
                new OAEPParameterSpec("SHA-1", "MGF1", MGF1ParameterSpec.SHA1, PSource.PSpecified.DEFAULT));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < plain.length; i += SEGMENT) {
            out.writeBytes(rsa.doFinal(plain, i, Math.min(SEGMENT, plain.length - i)));
        }
        return Base64.getEncoder().encodeToString(out.toByteArray());
    }

    private String hybrid(byte[] plain) throws GeneralSecurityException {
        byte[] keyEnc = new byte[32];
        byte[] keyMac = new byte[64];
        RANDOM.nextBytes(keyEnc);
        RANDOM.nextBytes(keyMac);
        try {
            Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
            byte[] iv = new byte[16];
            RANDOM.nextBytes(iv);
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(keyEnc, "AES"), new IvParameterSpec(iv));
            byte[] cipherText = aes.doFinal(plain);
            byte[] algorithms = {0, 0}; // AES-256-CBC-PKCS7, HMAC-SHA256
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(keyMac, "HmacSHA256"));
            hmac.update(algorithms);
            hmac.update(iv);
            byte[] tag = hmac.doFinal(cipherText);
            ByteArrayOutputStream blob = new ByteArrayOutputStream();
            blob.writeBytes(algorithms);
            blob.writeBytes(tag);
            blob.writeBytes(iv);
            blob.writeBytes(cipherText);
            byte[] keys = new byte[2 + 32 + 64];
            keys[0] = 0; // 32-byte key
            keys[1] = 1; // 64-byte key
            System.arraycopy(keyEnc, 0, keys, 2, 32);
            System.arraycopy(keyMac, 0, keys, 34, 64);
            Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPPadding");
            rsa.init(
                    Cipher.ENCRYPT_MODE,
                    key,
                    new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT));
            byte[] encryptedKeys = rsa.doFinal(keys);
            Arrays.fill(keys, (byte) 0);
            return Base64.getEncoder().encodeToString(encryptedKeys)
                    + Base64.getEncoder().encodeToString(blob.toByteArray());
        } finally {
            Arrays.fill(keyEnc, (byte) 0);
            Arrays.fill(keyMac, (byte) 0);
        }
    }

    @Override
    public String toString() {
        return "GatewayCredentialEncryptor[" + modulusLength * 8 + "-bit key]";
    }
}
