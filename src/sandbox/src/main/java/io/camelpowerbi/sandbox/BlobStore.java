package io.camelpowerbi.sandbox;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sandbox's stand-in for Azure blob storage behind SAS URLs: temporary upload locations of large imports
 * ({@code imports/createTemporaryUploadLocation}) and, optionally, export file downloads. Uploads keep only sizes and
 * the first bytes, never the content; downloads hold their bytes.
 */
final class BlobStore {

    /** One blob: its SAS signature and expiry, the upload so far, or the bytes to serve. */
    static final class Blob {
        final String id;
        final String signature;
        final Instant expiresAt;
        final byte[] content;
        final String contentType;
        private final Map<String, long[]> blocks = new LinkedHashMap<>();
        private final Map<String, byte[]> blockHeads = new LinkedHashMap<>();
        private long size = -1;
        private byte[] head = new byte[0];

        Blob(String id, String signature, Instant expiresAt, byte[] content, String contentType) {
            this.id = id;
            this.signature = signature;
            this.expiresAt = expiresAt;
            this.content = content;
            this.contentType = contentType;
        }

        /** Put Blob: the whole content at once. */
        synchronized void put(long bytes, byte[] first) {
            size = bytes;
            head = first;
            blocks.clear();
            blockHeads.clear();
        }

        /** Put Block: one uncommitted block. */
        synchronized void putBlock(String blockId, long bytes, byte[] first) {
            blocks.put(blockId, new long[] {bytes});
            blockHeads.put(blockId, first);
        }

        /** Put Block List: commits the named blocks in order; false when one is unknown. */
        synchronized boolean commit(List<String> blockIds) {
            long total = 0;
            for (String b : blockIds) {
                if (!blocks.containsKey(b)) {
                    return false;
                }
                total += blocks.get(b)[0];
            }
            size = total;
            head = blockIds.isEmpty() ? new byte[0] : blockHeads.get(blockIds.get(0));
            return true;
        }

        /** Committed size in bytes, -1 while nothing is committed. */
        synchronized long size() {
            return size;
        }

        synchronized byte[] head() {
            return head.clone();
        }
    }

    private final Map<String, Blob> blobs = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    /** A new empty blob to upload into, valid until {@code expiresAt}. */
    Blob createUpload(Instant expiresAt) {
        return add(new Blob(UUID.randomUUID().toString(), signature(), expiresAt, null, null));
    }

    /** A blob serving {@code content}. */
    Blob createDownload(byte[] content, String contentType, Instant expiresAt) {
        return add(new Blob(UUID.randomUUID().toString(), signature(), expiresAt, content, contentType));
    }

    private Blob add(Blob blob) {
        blobs.put(blob.id, blob);
        return blob;
    }

    Optional<Blob> get(String id) {
        return Optional.ofNullable(blobs.get(id));
    }

    List<Blob> all() {
        return new ArrayList<>(blobs.values());
    }

    void clear() {
        blobs.clear();
    }

    private String signature() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }
}
