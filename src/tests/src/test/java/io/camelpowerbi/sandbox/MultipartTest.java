package io.camelpowerbi.sandbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Streaming scan of multipart/form-data import bodies. */
class MultipartTest {

    @Test
    void findsPartsTheirNamesSizesAndFirstBytes() throws Exception {
        byte[] file = new byte[200_000];
        new java.util.Random(7).nextBytes(file);
        // a boundary look-alike inside the content must not end the part
        byte[] trap = "\r\n--abc".getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(trap, 0, file, 1000, trap.length);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("preamble\r\n--abcd\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n"
                        + "--abcd\r\ncontent-disposition: form-data; name=\"file\"; filename=\"a \\\"b\\\".pbix\"\r\n"
                        + "Content-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        body.writeBytes(file);
        body.writeBytes("\r\n--abcd--\r\nepilogue".getBytes(StandardCharsets.ISO_8859_1));
        List<Multipart.Part> parts = Multipart.scan(new ByteArrayInputStream(body.toByteArray()), "abcd");
        assertEquals(2, parts.size());
        assertEquals("note", parts.get(0).name());
        assertNull(parts.get(0).filename());
        assertEquals(5, parts.get(0).size());
        assertEquals("file", parts.get(1).name());
        assertEquals("a \"b\".pbix", parts.get(1).filename());
        assertEquals("application/octet-stream", parts.get(1).contentType());
        assertEquals(file.length, parts.get(1).size());
        assertArrayEquals(
                Arrays.copyOf(file, Multipart.HEAD_BYTES), parts.get(1).head());
    }

    @Test
    void boundaryFromContentTypeAndMalformedBodies() {
        assertEquals("xyz", Multipart.boundary("multipart/form-data; boundary=xyz"));
        assertEquals("a b", Multipart.boundary("Multipart/Form-Data; charset=utf-8; boundary=\"a b\""));
        assertNull(Multipart.boundary("application/json"));
        assertThrows(
                IllegalArgumentException.class,
                () -> Multipart.scan(
                        new ByteArrayInputStream("no boundary here".getBytes(StandardCharsets.UTF_8)), "q"));
        assertThrows(
                IllegalArgumentException.class,
                () -> Multipart.scan(
                        new ByteArrayInputStream("--q\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nunterminated"
                                .getBytes(StandardCharsets.UTF_8)),
                        "q"));
    }
}
