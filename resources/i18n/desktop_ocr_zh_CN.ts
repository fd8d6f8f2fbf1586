<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>App</name>
    <message>
        <location filename="../../desktop_ocr/gui/app.py" line="53"/>
        <source>Unexpected error</source>
        <translation>意外错误</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/app.py" line="54"/>
        <source>Something went wrong; the window keeps working.

%1</source>
        <translation>出现了问题，窗口仍可继续使用。

%1</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/app.py" line="56"/>
        <source>Log file: %1</source>
        <translation>日志文件：%1</translation>
    </message>
</context>
<context>
    <name>BatchPanel</name>
    <message>
        <location filename="../../desktop_ocr/gui/batch_panel.py" line="56"/>
        <source>Images</source>
        <translation>图片</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/batch_panel.py" line="57"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/batch_panel.py" line="70"/>
        <source>queued</source>
        <translation>排队中</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/batch_panel.py" line="72"/>
        <source>running…</source>
        <translation>识别中…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_ocr/gui/batch_panel.py" line="75"/>
        <source>done, %n line(s)</source>
        <translation>
            <numerusform>完成，%n 行</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/batch_panel.py" line="77"/>
        <source>failed: %1</source>
        <translation>失败：%1</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/batch_panel.py" line="79"/>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
</context>
<context>
    <name>CloudSettingsDialog</name>
    <message>
        <location filename="../../desktop_ocr/gui/cloud_settings.py" line="90"/>
        <source>Cloud OCR Settings</source>
        <translation>云端 OCR 设置</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/cloud_settings.py" line="113"/>
        <source>stored — leave empty to keep</source>
        <translation>已保存 — 留空则保持不变</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/cloud_settings.py" line="114"/>
        <location filename="../../desktop_ocr/gui/cloud_settings.py" line="161"/>
        <source>not set</source>
        <translation>未设置</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/cloud_settings.py" line="123"/>
        <source>The environment variables %1 are set: their keys are used, not the stored ones.</source>
        <translation>已设置环境变量 %1：将使用其中的密钥，而非已保存的密钥。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/cloud_settings.py" line="128"/>
        <source>Forget stored keys</source>
        <translation>清除已保存的密钥</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/cloud_settings.py" line="150"/>
        <source>Keys are kept in the system keyring (%1).</source>
        <translation>密钥保存在系统密钥环中（%1）。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/cloud_settings.py" line="151"/>
        <source>No system keyring is available (no Secret Service / Keychain / Credential Manager found): keys are kept in memory for this session only and must be entered again next time.</source>
        <translation>没有可用的系统密钥环（未找到 Secret Service / 钥匙串 / 凭据管理器）：密钥仅在本次会话中保存在内存里，下次需要重新输入。</translation>
    </message>
</context>
<context>
    <name>CompareDialog</name>
    <message>
        <location filename="../../desktop_ocr/gui/compare.py" line="162"/>
        <source>Compare: local engine and a cloud service</source>
        <translation>对比：本地引擎与云服务</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/compare.py" line="170"/>
        <source>Compare</source>
        <translation>对比</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/compare.py" line="172"/>
        <source>local</source>
        <translation>本地</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/compare.py" line="180"/>
        <source>Cloud service:</source>
        <translation>云服务：</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/compare.py" line="210"/>
        <source>recognising…</source>
        <translation>识别中…</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/compare.py" line="216"/>
        <source>recognising with %1…</source>
        <translation>正在用 %1 识别…</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/compare.py" line="236"/>
        <source>%1 lines</source>
        <translation>%1 行</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/compare.py" line="241"/>
        <source>failed: %1</source>
        <translation>失败：%1</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/compare.py" line="253"/>
        <source>one side failed: nothing to compare</source>
        <translation>有一方识别失败：无法对比</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/compare.py" line="260"/>
        <source>%1 of %2 lines differ</source>
        <translation>%2 行中有 %1 行不同</translation>
    </message>
</context>
<context>
    <name>Export</name>
    <message>
        <location filename="../../desktop_ocr/gui/export.py" line="58"/>
        <source>Replace files?</source>
        <translation>替换文件？</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/export.py" line="59"/>
        <source>%1 file(s) already exist in the folder:</source>
        <translation>文件夹中已有 %1 个同名文件：</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/export.py" line="61"/>
        <source>Replace them? (No keeps them and writes only the new files.)</source>
        <translation>是否替换？（选“否”将保留它们，只写入新文件。）</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/export.py" line="70"/>
        <source>Export as %1</source>
        <translation>导出为 %1</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/export.py" line="71"/>
        <source>All files (*)</source>
        <translation>所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/export.py" line="80"/>
        <source>Export the batch into folder</source>
        <translation>将批量结果导出到文件夹</translation>
    </message>
</context>
<context>
    <name>Formats</name>
    <message>
        <location filename="../../desktop_ocr/formats/__init__.py" line="42"/>
        <source>desktop_ocr JSON</source>
        <translation>desktop_ocr JSON</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/formats/__init__.py" line="43"/>
        <source>Plain text</source>
        <translation>纯文本</translation>
    </message>
</context>
<context>
    <name>LinesModel</name>
    <message>
        <location filename="../../desktop_ocr/gui/results_panel.py" line="47"/>
        <source>Text</source>
        <translation>文本</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/results_panel.py" line="47"/>
        <source>Score</source>
        <translation>置信度</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="561"/>
        <source>Cannot show %1 again: %2</source>
        <translation>无法再次显示 %1：%2</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="278"/>
        <source>desktop_ocr — offline OCR</source>
        <translation>desktop_ocr — 离线文字识别</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="280"/>
        <source>&amp;Open…</source>
        <translation>打开(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="280"/>
        <source>Open &amp;Folder…</source>
        <translation>打开文件夹(&amp;F)…</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="281"/>
        <source>Open &amp;URL…</source>
        <translation>打开网址(&amp;U)…</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="281"/>
        <source>Open &amp;Sample Image</source>
        <translation>打开示例图片(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="282"/>
        <source>&amp;Paste Image or URL</source>
        <translation>粘贴图片或网址(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="282"/>
        <source>&amp;Copy Selected Lines</source>
        <translation>复制所选行(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="283"/>
        <source>Copy &amp;All Text</source>
        <translation>复制全部文本(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="283"/>
        <source>Copy &amp;JSON</source>
        <translation>复制 JSON(&amp;J)</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="284"/>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="284"/>
        <source>Export Batch…</source>
        <translation>批量导出…</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="285"/>
        <source>Cancel &amp;Batch</source>
        <translation>取消批量任务(&amp;B)</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="285"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="286"/>
        <source>Zoom &amp;In</source>
        <translation>放大(&amp;I)</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="286"/>
        <source>Zoom &amp;Out</source>
        <translation>缩小(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="287"/>
        <source>&amp;Fit</source>
        <translation>适合窗口(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="287"/>
        <source>&amp;100%</source>
        <translation>100%(&amp;1)</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="288"/>
        <source>Show Page &amp;Upright</source>
        <translation>摆正页面(&amp;U)</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="288"/>
        <source>&amp;About</source>
        <translation>关于(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="290"/>
        <source>Serve API</source>
        <translation>提供 API 服务</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="294"/>
        <source>Open images or PDFs (Ctrl+O)</source>
        <translation>打开图片或 PDF (Ctrl+O)</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="295"/>
        <source>Rotate the view by the detected page angle</source>
        <translation>按检测到的页面角度旋转视图</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="296"/>
        <source>A receipt drawn for trying the app</source>
        <translation>用于试用本程序的示例小票</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="297"/>
        <source>Serve the cloud vendors&apos; OCR APIs on 127.0.0.1, answered by the local engine (the port is in the status bar)</source>
        <translation>在 127.0.0.1 上提供各云厂商的 OCR API，由本地引擎应答（端口在状态栏中设置）</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="299"/>
        <source>System Language</source>
        <translation>跟随系统语言</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="300"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="301"/>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="302"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="303"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="304"/>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="305"/>
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="306"/>
        <source>&amp;Export Image As</source>
        <translation>导出当前图片为(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="307"/>
        <source>Export &amp;Batch As</source>
        <translation>批量导出为(&amp;B)</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="311"/>
        <source>Export %1</source>
        <translation>导出 %1</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="313"/>
        <source> Engine: </source>
        <translation> 引擎：</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="314"/>
        <source>Threshold </source>
        <translation>阈值 </translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="315"/>
        <source>Hide low</source>
        <translation>隐藏低分行</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="316"/>
        <source>Hide lines scored below the threshold (canvas and list)</source>
        <translation>隐藏置信度低于阈值的行（画布和列表）</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="321"/>
        <source>below threshold</source>
        <translation>低于阈值</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="323"/>
        <source>Drop images, PDFs, folders or web links here

Ctrl+O open · Ctrl+V paste · File &gt; Open Sample Image</source>
        <translation>将图片、PDF、文件夹或网页链接拖放到这里

Ctrl+O 打开 · Ctrl+V 粘贴 · 文件 &gt; 打开示例图片</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="349"/>
        <source>The %1 engine is not available: %2</source>
        <translation>%1 引擎不可用：%2</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="469"/>
        <source>pasted image</source>
        <translation>粘贴的图片</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="479"/>
        <source>Nothing to open: the clipboard or drop holds no image, file or URL.</source>
        <translation>没有可打开的内容：剪贴板或拖放内容中没有图片、文件或网址。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="499"/>
        <source>Open images</source>
        <translation>打开图片</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="500"/>
        <source>Images and PDFs</source>
        <translation>图片和 PDF</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="501"/>
        <source>All files (*)</source>
        <translation>所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="506"/>
        <source>Open folder</source>
        <translation>打开文件夹</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="528"/>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="575"/>
        <source>Could not recognise %1: %2</source>
        <translation>无法识别 %1：%2</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="619"/>
        <source>loading models…</source>
        <translation>正在加载模型…</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="619"/>
        <source>ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="620"/>
        <source>unavailable</source>
        <translation>不可用</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="621"/>
        <source>Engine: %1 (%2)</source>
        <translation>引擎：%1（%2）</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="626"/>
        <source>recognising…</source>
        <translation>识别中…</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="631"/>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_ocr/gui/main_window.py" line="634"/>
        <source>%n line(s)</source>
        <translation>
            <numerusform>%n 行</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="636"/>
        <source>Angle: %1</source>
        <translation>角度：%1</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="674"/>
        <source>Copied the result as %1.</source>
        <translation>已按 %1 复制结果。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="681"/>
        <source>Nothing to export yet: no recognised image is shown.</source>
        <translation>暂无可导出的内容：当前没有已识别的图片。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="716"/>
        <source>Export failed for %1: %2</source>
        <translation>导出 %1 失败：%2</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="692"/>
        <source>Exported %1</source>
        <translation>已导出 %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_ocr/gui/main_window.py" line="707"/>
        <source>Exported %n file(s) to %1</source>
        <translation>
            <numerusform>已导出 %n 个文件到 %1</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="724"/>
        <source>About desktop_ocr</source>
        <translation>关于 desktop_ocr</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="725"/>
        <source>&lt;b&gt;desktop_ocr %1&lt;/b&gt;&lt;br&gt;Offline OCR for Simplified Chinese and English.&lt;br&gt;Recognition: RapidOCR (PP-OCR models on ONNX Runtime), all on this computer.</source>
        <translation>&lt;b&gt;desktop_ocr %1&lt;/b&gt;&lt;br&gt;简体中文与英文离线文字识别。&lt;br&gt;识别引擎：RapidOCR（PP-OCR 模型，ONNX Runtime），全部在本机运行。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="289"/>
        <source>Cloud Settings…</source>
        <translation>云端设置…</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="289"/>
        <source>Compare with Cloud…</source>
        <translation>与云端对比…</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="379"/>
        <source>Open an image first, then compare it with a cloud service.</source>
        <translation>请先打开一张图片，再与云服务对比。</translation>
    </message>
</context>
<context>
    <name>OpenUrlDialog</name>
    <message>
        <location filename="../../desktop_ocr/gui/dialogs.py" line="21"/>
        <source>Open URL</source>
        <translation>打开网址</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/dialogs.py" line="30"/>
        <source>Image address (http or https):</source>
        <translation>图片地址（http 或 https）：</translation>
    </message>
</context>
<context>
    <name>PdfPagePicker</name>
    <message>
        <location filename="../../desktop_ocr/gui/dialogs.py" line="62"/>
        <source>Choose PDF pages</source>
        <translation>选择 PDF 页面</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/dialogs.py" line="66"/>
        <source>Page %1</source>
        <translation>第 %1 页</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/dialogs.py" line="75"/>
        <source>%1 has %2 page(s). Recognise:</source>
        <translation>%1 共 %2 页。识别：</translation>
    </message>
</context>
<context>
    <name>ServePanel</name>
    <message>
        <location filename="../../desktop_ocr/gui/serve_panel.py" line="187"/>
        <source>Cannot serve the API: port %1 is already in use by another program. Choose another port in the status bar and try again.</source>
        <translation>无法提供 API 服务：端口 %1 已被其他程序占用。请在状态栏中选择其他端口后重试。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/serve_panel.py" line="190"/>
        <source>Serving the API needs Starlette and uvicorn, which are not installed: %2</source>
        <translation>提供 API 服务需要 Starlette 和 uvicorn，但它们未安装：%2</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/serve_panel.py" line="192"/>
        <source>Cannot serve the API on port %1: %2</source>
        <translation>无法在端口 %1 上提供 API 服务：%2</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/serve_panel.py" line="212"/>
        <source>The API server stopped: %1</source>
        <translation>API 服务已停止：%1</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/serve_panel.py" line="213"/>
        <source>unknown reason</source>
        <translation>原因未知</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/serve_panel.py" line="236"/>
        <source>API: off</source>
        <translation>API：已关闭</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/serve_panel.py" line="237"/>
        <source>API: starting on %1…</source>
        <translation>API：正在 %1 上启动…</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/serve_panel.py" line="238"/>
        <source>API: serving on %1</source>
        <translation>API：正在 %1 上服务</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/serve_panel.py" line="239"/>
        <source>API: stopping…</source>
        <translation>API：正在停止…</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/serve_panel.py" line="240"/>
        <source>API: error</source>
        <translation>API：出错</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_ocr/gui/serve_panel.py" line="244"/>
        <source>%n request(s)</source>
        <translation>
            <numerusform>%n 个请求</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/serve_panel.py" line="247"/>
        <source>last error: %1</source>
        <translation>最近错误：%1</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/serve_panel.py" line="249"/>
        <source>Serve API: the cloud vendors&apos; OCR APIs (AWS, Tencent, Huawei) on this computer, answered by the local engine. Point your clients at http://%1</source>
        <translation>提供 API 服务：在本机提供各云厂商（AWS、腾讯云、华为云）的 OCR API，由本地引擎应答。请将客户端指向 http://%1</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/serve_panel.py" line="252"/>
        <source>Last error answer: %1</source>
        <translation>最近一次错误应答：%1</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/serve_panel.py" line="258"/>
        <source>API port</source>
        <translation>API 端口</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/serve_panel.py" line="259"/>
        <source>The port Serve API listens on (127.0.0.1 only)</source>
        <translation>API 服务监听的端口（仅限 127.0.0.1）</translation>
    </message>
</context>
<context>
    <name>Vendors</name>
    <message>
        <location filename="../../desktop_ocr/vendors.py" line="169"/>
        <source>AWS General OCR</source>
        <translation>AWS 通用文字识别</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/vendors.py" line="172"/>
        <source>AWS General OCR JSON</source>
        <translation>AWS 通用文字识别 JSON</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/vendors.py" line="177"/>
        <source>Invoke URL</source>
        <translation>调用 URL</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/vendors.py" line="180"/>
        <source>Authentication</source>
        <translation>认证方式</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/vendors.py" line="182"/>
        <location filename="../../desktop_ocr/vendors.py" line="216"/>
        <location filename="../../desktop_ocr/vendors.py" line="266"/>
        <source>Region</source>
        <translation>地域</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/vendors.py" line="184"/>
        <source>from the URL (e.g. us-east-1)</source>
        <translation>从 URL 读取（如 us-east-1）</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/vendors.py" line="185"/>
        <source>Access key ID</source>
        <translation>访问密钥 ID</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/vendors.py" line="187"/>
        <source>Secret access key</source>
        <translation>私有访问密钥</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/vendors.py" line="189"/>
        <location filename="../../desktop_ocr/vendors.py" line="222"/>
        <source>Session token (optional)</source>
        <translation>会话令牌（可选）</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/vendors.py" line="202"/>
        <source>Tencent Cloud OCR</source>
        <translation>腾讯云 OCR</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/vendors.py" line="205"/>
        <source>Tencent Cloud OCR JSON</source>
        <translation>腾讯云 OCR JSON</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/vendors.py" line="213"/>
        <location filename="../../desktop_ocr/vendors.py" line="240"/>
        <location filename="../../desktop_ocr/vendors.py" line="264"/>
        <source>Endpoint</source>
        <translation>服务地址</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/vendors.py" line="218"/>
        <source>API</source>
        <translation>接口</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/vendors.py" line="196"/>
        <source>SecretId</source>
        <translation>SecretId</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/vendors.py" line="197"/>
        <source>SecretKey</source>
        <translation>SecretKey</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/vendors.py" line="229"/>
        <source>Tencent OCR (legacy)</source>
        <translation>腾讯 OCR（旧版）</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/vendors.py" line="232"/>
        <source>Tencent legacy ocr/general JSON</source>
        <translation>腾讯旧版 ocr/general JSON</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/vendors.py" line="243"/>
        <source>APPID</source>
        <translation>APPID</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/vendors.py" line="244"/>
        <source>Bucket (optional)</source>
        <translation>存储桶（可选）</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/vendors.py" line="252"/>
        <source>Huawei Cloud OCR</source>
        <translation>华为云 OCR</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/vendors.py" line="255"/>
        <source>Huawei Cloud OCR JSON</source>
        <translation>华为云 OCR JSON</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/vendors.py" line="268"/>
        <source>Project ID</source>
        <translation>项目 ID</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/vendors.py" line="270"/>
        <source>Access key (AK)</source>
        <translation>访问密钥（AK）</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/vendors.py" line="271"/>
        <source>Secret key (SK)</source>
        <translation>私有密钥（SK）</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/vendors.py" line="272"/>
        <source>IAM token (instead of AK/SK)</source>
        <translation>IAM 令牌（代替 AK/SK）</translation>
    </message>
</context>
</TS>
