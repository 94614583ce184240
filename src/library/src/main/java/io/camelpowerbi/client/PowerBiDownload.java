package io.camelpowerbi.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import org.apache.hc.core5.http.ClassicHttpResponse;

/** A successful answer whose body is still on the wire; close it to give the connection back. */
public final class PowerBiDownload implements AutoCloseable {

    private final int status;
    private final Map<String, String> headers;
    private final ClassicHttpResponse response;

    PowerBiDownload(int status, Map<String, String> headers, ClassicHttpResponse response) {
        this.status = status;
        this.headers = headers;
        this.response = response;
    }

    public int status() {
        return status;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public String header(String name) {
        return PowerBiClient.header(headers, name);
    }

    public InputStream body() {
        try {
            return response.getEntity() == null
                    ? InputStream.nullInputStream()
                    : response.getEntity().getContent();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        response.close();
    }
}
