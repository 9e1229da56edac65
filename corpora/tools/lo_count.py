#!/usr/bin/env python3
"""Independent oracle: LibreOffice's live WordCount / CharacterCount / ParagraphCount of each
docx given (needs libreoffice-writer and python3-uno; run with /usr/bin/python3).
LibreOffice counts by nearly the same rules as Word, but also counts headers, footers and
footnotes; see BENCHMARKS.md for where it agrees with yanshou and where it differs."""
import sys, time, subprocess, uno
from com.sun.star.beans import PropertyValue
p = subprocess.Popen(["soffice", "--headless", "--invisible", "--norestore",
    "--accept=socket,host=127.0.0.1,port=2002;urp;"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
local = uno.getComponentContext()
resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
for _ in range(60):
    try:
        ctx = resolver.resolve("uno:socket,host=127.0.0.1,port=2002;urp;StarOffice.ComponentContext"); break
    except Exception:
        time.sleep(0.5)
desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
hidden = PropertyValue(); hidden.Name = "Hidden"; hidden.Value = True
for f in sys.argv[1:]:
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(f), "_blank", 0, (hidden,))
    stats = {k: doc.getPropertyValue(k) for k in ("WordCount", "CharacterCount", "ParagraphCount")}
    print(f, stats)
    doc.close(True)
desktop.terminate()
p.wait(timeout=30)
