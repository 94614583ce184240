package io.camelpowerbi.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The export files are structurally valid: PDF cross-reference table, well-formed OOXML parts, decodable images. */
class ExportFilesTest {

    static final String NAME = "Q1 (draft) \\ <Sales> & \"more\" – ü";

    @Test
    void pdfCrossReferenceTablePointsAtEveryObject() {
        byte[] pdf = ExportFiles.pdf(NAME, 3);
        String text = new String(pdf, StandardCharsets.ISO_8859_1);
        assertTrue(text.startsWith("%PDF-1.4\n"));
        assertTrue(text.endsWith("%%EOF\n"));
        assertTrue(text.contains("(Q1 \\(draft\\) \\\\ <Sales> & \"more\" ? ?) Tj"), text);
        Matcher startxref = Pattern.compile("startxref\n(\\d+)\n%%EOF\n$").matcher(text);
        assertTrue(startxref.find());
        int xref = Integer.parseInt(startxref.group(1));
        assertTrue(text.startsWith("xref\n0 ", xref));
        String[] lines = text.substring(xref).split("\n");
        int count = Integer.parseInt(lines[1].split(" ")[1]);
        assertEquals(3 + 2 * 3 + 1, count, "catalog, pages, font, 3 x (page, content), free entry");
        for (int i = 1; i < count; i++) {
            String entry = lines[2 + i];
            assertEquals(19, entry.length(), "20-byte entries with their newline: [" + entry + "]");
            int offset = Integer.parseInt(entry.substring(0, 10));
            assertTrue(text.startsWith(i + " 0 obj\n", offset), "object " + i + " at " + offset);
        }
        for (Matcher m = Pattern.compile("<< /Length (\\d+) >>\nstream\n").matcher(text); m.find(); ) {
            int length = Integer.parseInt(m.group(1));
            assertTrue(text.startsWith("endstream", m.end() + length), "stream length " + length);
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = ExportFiles.Kind.class,
            names = {"PPTX", "XLSX", "DOCX"})
    void ooxmlPackagesHaveWellFormedParts(ExportFiles.Kind kind) throws Exception {
        byte[] zip = ExportFiles.generate(kind, NAME, 2);
        Map<String, byte[]> parts = new HashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                parts.put(e.getName(), in.readAllBytes());
            }
        }
        assertTrue(parts.containsKey("[Content_Types].xml"));
        assertTrue(parts.containsKey("_rels/.rels"));
        var factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        for (Map.Entry<String, byte[]> part : parts.entrySet()) {
            assertNotNull(factory.newDocumentBuilder().parse(new ByteArrayInputStream(part.getValue())), part.getKey());
        }
        String types = new String(parts.get("[Content_Types].xml"), StandardCharsets.UTF_8);
        for (String name : parts.keySet()) {
            if (name.endsWith(".xml") && !name.equals("[Content_Types].xml")) {
                assertTrue(types.contains("PartName=\"/" + name + "\""), name + " has a content type");
            }
        }
        String all = new String(zip, StandardCharsets.ISO_8859_1);
        assertTrue(all.length() > 0);
    }

    @ParameterizedTest
    @EnumSource(
            value = ExportFiles.Kind.class,
            names = {"PNG", "TIFF", "JPEG", "GIF", "BMP"})
    void imagesDecode(ExportFiles.Kind kind) throws Exception {
        var image = ImageIO.read(new ByteArrayInputStream(ExportFiles.generate(kind, NAME, 1)));
        assertNotNull(image, kind.toString());
        assertEquals(640, image.getWidth());
    }
}
