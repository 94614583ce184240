package io.camelpowerbi.operations;

import io.camelpowerbi.FileRange;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * Uploads a large import file to the temporary Azure Blob Storage location Power BI hands out
 * ({@code createTemporaryUploadLocation}).
 *
 * <p>This is the one place outside {@link io.camelpowerbi.client.PowerBiClient} that talks HTTP, on purpose: the target
 * is a storage account on another host, authorised by the SAS signature in its URL. Power BI's bearer token must not go
 * there (the client attaches it to every request it sends), and the client only takes paths on the Power BI host. The
 * SAS URL is a credential: it is never logged nor put in an exception message, only its host and path.
 *
 * <p>Files up to {@code singlePutLimit} go in one Put Blob; bigger ones (Power BI takes up to 10 GB, Put Blob at most
 * 5,000 MiB) are sent as blocks of {@code blockSize} and committed with Put Block List. Each block is streamed from
 * disk, never held whole in memory, and retried on a broken connection or a 5xx.
 */
public final class BlobUploader {

    public static final long DEFAULT_SINGLE_PUT_LIMIT = 256L * 1024 * 1024;
    public static final long DEFAULT_BLOCK_SIZE = 64L * 1024 * 1024;
    /** A storage service version that takes 4,000 MiB blocks and 5,000 MiB single puts. */
    static final String STORAGE_VERSION = "2021-08-06";

    private static final int ATTEMPTS = 3;

    private final HttpClient http;
    private final long singlePutLimit;
    private final long blockSize;
    private final Poller poller;

    /** A client with the JVM's proxy settings and trust store, HTTP/1.1, no redirects. */
    public BlobUploader() {
        this(defaultClient(), DEFAULT_SINGLE_PUT_LIMIT, DEFAULT_BLOCK_SIZE, Poller.SYSTEM);
    }

    public BlobUploader(HttpClient http, long singlePutLimit, long blockSize, Poller poller) {
        this.http = Objects.requireNonNull(http, "http");
        if (singlePutLimit < 1 || blockSize < 1) {
            throw new IllegalArgumentException("singlePutLimit and blockSize must be positive");
        }
        this.singlePutLimit = singlePutLimit;
        this.blockSize = blockSize;
        this.poller = Objects.requireNonNull(poller, "poller");
    }

    private static HttpClient defaultClient() {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(30));
        ProxySelector proxies = ProxySelector.getDefault();
        if (proxies != null) {
            builder.proxy(proxies);
        }
        return builder.build();
    }

    /** Uploads {@code source} to the SAS URL {@code sasUrl}. No Authorization header is ever sent. */
    public void upload(URI sasUrl, ImportSource source) {
        long size = source.size();
        if (size <= singlePutLimit) {
            send(sasUrl, "PUT", source, 0, size, true, "the file");
            return;
        }
        List<String> blockIds = new ArrayList<>();
        int index = 0;
        for (long offset = 0; offset < size; offset += blockSize, index++) {
            long length = Math.min(blockSize, size - offset);
            // Block ids must be base64 and all of one length within a blob.
            String blockId = Base64.getEncoder()
                    .encodeToString(String.format("block-%08d", index).getBytes(StandardCharsets.US_ASCII));
            blockIds.add(blockId);
            URI block = withQuery(sasUrl, "comp=block&blockid=" + URLEncoder.encode(blockId, StandardCharsets.UTF_8));
            send(block, "PUT", source, offset, length, false, "block " + (index + 1));
        }
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?><BlockList>");
        blockIds.forEach(id -> xml.append("<Latest>").append(id).append("</Latest>"));
        xml.append("</BlockList>");
        byte[] list = xml.toString().getBytes(StandardCharsets.UTF_8);
        send(
                withQuery(sasUrl, "comp=blocklist"),
                "PUT",
                ImportSource.of(list, "blocklist.xml"),
                0,
                list.length,
                false,
                "the block list");
    }

    private void send(
            URI target, String method, ImportSource source, long offset, long length, boolean wholeBlob, String what) {
        for (int attempt = 1; ; attempt++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(target)
                    .timeout(Duration.ofMinutes(30))
                    .header("x-ms-version", STORAGE_VERSION)
                    .method(method, body(source, offset, length));
            if (wholeBlob) {
                request.header("x-ms-blob-type", "BlockBlob");
            }
            HttpResponse<String> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                if (attempt < ATTEMPTS) {
                    backoff(attempt);
                    continue;
                }
                throw new PowerBiOperationException(
                        "uploading " + what + " to the temporary upload location " + safe(target) + " failed: " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WaitInterruptedException("interrupted while uploading the import file", e);
            }
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return;
            }
            if ((status >= 500 || status == 429) && attempt < ATTEMPTS) {
                backoff(attempt);
                continue;
            }
            String code = response.headers().firstValue("x-ms-error-code").orElse(null);
            throw new PowerBiOperationException(
                    "uploading " + what + " to the temporary upload location " + safe(target)
                            + " was refused (HTTP " + status + (code == null ? "" : ", " + code) + ")"
                            + (status == 403
                                    ? ". Fix: the upload URL expires (see ExpirationTime); start the import again."
                                    : ""));
        }
    }

    private void backoff(int attempt) {
        poller.pause(Duration.ofSeconds(attempt * 2L), poller.deadline(Duration.ofMinutes(1)));
    }

    private static HttpRequest.BodyPublisher body(ImportSource source, long offset, long length) {
        if (source.bytes() != null) {
            return HttpRequest.BodyPublishers.ofByteArray(source.bytes(), (int) offset, (int) length);
        }
        // Streams the range from disk with a known Content-Length; the supplier reopens it on a retry.
        return HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofInputStream(() -> range(source, offset, length)), length);
    }

    private static InputStream range(ImportSource source, long offset, long length) {
        try {
            return FileRange.open(source.path(), offset, length);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source.path(), e);
        }
    }

    static URI withQuery(URI sas, String extra) {
        String s = sas.toString();
        return URI.create(s + (sas.getRawQuery() == null ? "?" : "&") + extra);
    }

    /** The URL without its query: the query holds the SAS signature. */
    static String safe(URI target) {
        return target.getScheme() + "://" + target.getHost() + (target.getPort() < 0 ? "" : ":" + target.getPort())
                + target.getRawPath();
    }
}
