package org.p2pchat.files.bt.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.p2pchat.files.bt.internal.FileNames;

class FileNamesTest {

    @ParameterizedTest
    @CsvSource(delimiterString = " => ", value = {
            "report.pdf => report.pdf",
            "../../etc/passwd => _.._etc_passwd",
            ".. => file",
            ". => file",
            "'' => file",
            "/ => _",
            "C:\\Windows\\win.ini => C__Windows_win.ini",
            ".bashrc => bashrc",
            "name. . . => name",
            "con => _con",
            "CON.txt => _CON.txt",
            "lpt9.tar.gz => _lpt9.tar.gz",
            "a<b>c:d\"e|f?g*h => a_b_c_d_e_f_g_h",
            "tab\there => tab here",
            "console.txt => console.txt",
    })
    void sanitises(String offered, String safe) {
        assertEquals(safe, FileNames.sanitize(offered));
    }

    @ParameterizedTest
    @ValueSource(strings = { "bell\u0007.txt", "nul\u0000.txt", "rlo\u202Etxt.exe", "zero\u200Bwidth", "line\nbreak",
            "esc\u001B[31mred" })
    void dropsInvisibleAndControlCharacters(String offered) {
        String safe = FileNames.sanitize(offered);
        assertTrue(safe.codePoints().noneMatch(cp -> Character.isISOControl(cp)
                || Character.getType(cp) == Character.FORMAT), safe);
    }

    @Test
    void cutsAbsurdLengthsKeepingTheExtensionAndWholeCharacters() {
        String safe = FileNames.sanitize("\u00e9".repeat(5000) + ".jpeg");
        assertTrue(safe.getBytes(StandardCharsets.UTF_8).length <= 200, safe);
        assertTrue(safe.endsWith("\u00e9.jpeg"), safe);
        String longExtension = FileNames.sanitize("x." + "y".repeat(400));
        assertTrue(longExtension.getBytes(StandardCharsets.UTF_8).length <= 200);
    }

    @Test
    void nullAndBlankBecomeAName() {
        assertEquals("file", FileNames.sanitize(null));
        assertEquals("file", FileNames.sanitize("   "));
        assertFalse(FileNames.sanitize("\u0000\u0001").isEmpty());
    }
}
