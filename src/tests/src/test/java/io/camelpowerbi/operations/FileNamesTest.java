package io.camelpowerbi.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class FileNamesTest {

    static String safe(String name, String ext) {
        return FileNames.safe(name, ext, "export-id1", "pdf");
    }

    @Test
    void plainNamesSurvive() {
        assertEquals("Sales Report 2025.pdf", safe("Sales Report 2025", ".pdf"));
        assertEquals("Umsätze – März.pptx", safe("Umsätze – März", "PPTX"));
        assertEquals("Sales.pdf", safe("Sales.pdf", ".pdf"));
        assertEquals("v1.2 final.pdf", safe("v1.2 final", null));
    }

    @Test
    void directoryPartsSeparatorsAndDotsAreRemoved() {
        assertEquals("passwd.pdf", safe("../../etc/passwd", ".pdf"));
        assertEquals("evil.pdf", safe("C:\\evil", ".pdf"));
        assertEquals("x.pdf", safe("/absolute/x", ".pdf"));
        assertEquals("hidden.pdf", safe("  .hidden  ", ".pdf"));
        assertEquals("a.b.pdf", safe("a....b", ".pdf"));
        assertEquals("trailing.pdf", safe("trailing. . .", ".pdf"));
        assertEquals("export-id1.pdf", safe("..", ".pdf"));
        assertEquals("export-id1.pdf", safe("dir/", ".pdf"));
    }

    @Test
    void controlAndFormatCharactersAndWindowsSpecialsAreRemoved() {
        assertEquals("export-id1.pdf", safe("\u0000", ".pdf"));
        assertEquals("ab.pdf", safe("a\r\n\u0007b", ".pdf"));
        assertEquals("invoicefdp.exe.pdf", safe("invoice\u202Efdp.exe", ".pdf"));
        assertEquals("a_b__c_d_e_f_g.pdf", safe("a<b>:c|d?e*f\"g", ".pdf"));
        assertEquals("_con.pdf", safe("con", ".pdf"));
        assertEquals("_LPT1.txt.pdf", safe("LPT1.txt", ".pdf"));
        assertEquals("_nul.pdf", safe("nul.", ".pdf"));
        assertEquals("CONSOLE.pdf", safe("CONSOLE", ".pdf"));
    }

    @Test
    void extensionIsLettersAndDigitsOnly() {
        assertEquals("r.pdf", safe("r", "../../.pdf"));
        assertEquals("r.sh", safe("r", "/bin/sh"));
        assertEquals("r.pdf", safe("r", "\u0000"));
        assertEquals("r.abcdefghij", safe("r", ".abcdefghijklmnop"));
        assertEquals("r.pdf", safe("r", ". p d f !"));
        assertEquals("export.pdf", FileNames.safe(null, null, null, "pdf"));
        assertEquals("export-a_b.pdf", FileNames.safe("", "", "export-a_b", "pdf"));
    }

    static int utf8(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    @Test
    void longNamesAreCutWithoutBreakingCharacters() {
        String name = FileNames.safe("x".repeat(500), ".pdf", "f", "pdf");
        assertEquals(FileNames.MAX_BYTES, utf8(name));
        assertTrue(name.endsWith("x.pdf"));

        String emoji = "😀".repeat(150); // 300 chars in surrogate pairs, 600 bytes
        String cut = FileNames.safe(emoji, "pdf", "f", "pdf");
        assertTrue(utf8(cut) <= FileNames.MAX_BYTES, cut);
        assertTrue(cut.codePoints().noneMatch(cp -> cp >= 0xD800 && cp <= 0xDFFF), "no lone surrogate left");
        assertEquals("😀".repeat(49) + ".pdf", cut, "4 bytes each: 49 of them and the extension fit in 200");
    }

    @Test
    void namesAreCappedInBytesNotCharacters() {
        // 150 × 'é' is 150 characters but 300 bytes: more than the 255 a file system allows in a name
        String name = FileNames.safe("\u00e9".repeat(150), "pdf", "f", "pdf");
        assertTrue(utf8(name) <= FileNames.MAX_BYTES, utf8(name) + " bytes");
        assertEquals("\u00e9".repeat(98) + ".pdf", name);
        assertTrue(utf8(name + ".camelLock") <= 255, "room for the suffixes tools add");
        String cjk = FileNames.safe("日本語".repeat(100), "xlsx", "f", "xlsx");
        assertEquals(65 * 3 + ".xlsx".length(), utf8(cjk), cjk);
    }

    @Test
    void everyResultIsASinglePathElement() {
        Path dir = Path.of("/srv/out");
        String[] names = {
            "../../etc/passwd",
            "C:\\evil",
            "\u0000",
            "..",
            ".",
            "/",
            "\\\\server\\share\\x",
            "a/../../b",
            "~/.ssh/id_rsa",
            "%2e%2e%2fx",
            "nul.",
            " ",
            "\u2028\u2029"
        };
        for (String n : names) {
            String safe = safe(n, "..\\x/.pdf");
            Path p = dir.resolve(safe).normalize();
            assertEquals(dir, p.getParent(), n + " -> " + safe);
            assertTrue(!safe.startsWith(".") && !safe.contains("/") && !safe.contains("\\"), n + " -> " + safe);
        }
    }
}
