<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>App</name>
    <message>
        <location filename="../../desktop_ocr/gui/app.py" line="62"/>
        <source>Something went wrong; the window keeps working. Please report it.</source>
        <translation>出现了问题，窗口仍可继续使用。请报告此问题。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/app.py" line="63"/>
        <source>Unexpected error</source>
        <translation>意外错误</translation>
    </message>
    <message>
        <source>Something went wrong; the window keeps working.

%1</source>
        <translation type="vanished">出现了问题，窗口仍可继续使用。

%1</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/app.py" line="64"/>
        <source>Log file: %1</source>
        <translation>日志文件：%1</translation>
    </message>
</context>
<context>
    <name>Backends</name>
    <message>
        <location filename="../../desktop_ocr/gui/compare.py" line="279"/>
        <source>Local engine</source>
        <translation>本地引擎</translation>
    </message>
</context>
<context>
    <name>BatchPanel</name>
    <message>
        <location filename="../../desktop_ocr/gui/batch_panel.py" line="207"/>
        <source>Images</source>
        <translation>图片</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/batch_panel.py" line="101"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/batch_panel.py" line="102"/>
        <source>Cancel every image still to recognise, and the one being recognised</source>
        <translation>取消所有待识别的图片以及正在识别的图片</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/batch_panel.py" line="103"/>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/batch_panel.py" line="104"/>
        <source>Recognise the selected failed or cancelled images again</source>
        <translation>重新识别所选的失败或已取消的图片</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/batch_panel.py" line="105"/>
        <source>Cancel Selected</source>
        <translation>取消所选</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/batch_panel.py" line="106"/>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/batch_panel.py" line="107"/>
        <source>Remove the selected images from the list</source>
        <translation>从列表中移除所选图片</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/batch_panel.py" line="108"/>
        <source>Clear Finished</source>
        <translation>清除已结束</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/batch_panel.py" line="109"/>
        <source>Remove every finished image (done, failed or cancelled)</source>
        <translation>移除所有已结束的图片（完成、失败或已取消）</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/batch_panel.py" line="110"/>
        <source>Clear All</source>
        <translation>全部清除</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/batch_panel.py" line="115"/>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/batch_panel.py" line="116"/>
        <source>Remove finished images, or all of them</source>
        <translation>移除已结束的图片，或移除全部图片</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/batch_panel.py" line="129"/>
        <source>queued</source>
        <translation>排队中</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/batch_panel.py" line="131"/>
        <source>running…</source>
        <translation>识别中…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_ocr/gui/batch_panel.py" line="134"/>
        <source>done, %n line(s)</source>
        <translation>
            <numerusform>完成，%n 行</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/batch_panel.py" line="136"/>
        <source>failed: %1</source>
        <translation>失败：%1</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/batch_panel.py" line="138"/>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/batch_panel.py" line="152"/>
        <source>%1 — p. %2/%3</source>
        <translation>%1 — 第 %2/%3 页</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/batch_panel.py" line="205"/>
        <source>Images (finding files…)</source>
        <translation>图片（正在查找文件…）</translation>
    </message>
</context>
<context>
    <name>ClipboardWatch</name>
    <message>
        <location filename="../../desktop_ocr/gui/clipboard_watch.py" line="104"/>
        <source>&amp;Read Images Copied to the Clipboard</source>
        <translation>读取复制到剪贴板的图片(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/clipboard_watch.py" line="105"/>
        <source>Recognise every new image copied to the clipboard, as Paste does</source>
        <translation>像“粘贴”一样识别每张新复制到剪贴板的图片</translation>
    </message>
</context>
<context>
    <name>CloudSettingsDialog</name>
    <message>
        <location filename="../../desktop_ocr/gui/cloud_settings.py" line="108"/>
        <source>Cloud OCR Settings</source>
        <translation>云端 OCR 设置</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/cloud_settings.py" line="136"/>
        <source>stored — leave empty to keep</source>
        <translation>已保存 — 留空则保持不变</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/cloud_settings.py" line="137"/>
        <location filename="../../desktop_ocr/gui/cloud_settings.py" line="202"/>
        <source>not set</source>
        <translation>未设置</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/cloud_settings.py" line="146"/>
        <source>The environment variables %1 are set: their keys are used, not the stored ones.</source>
        <translation>已设置环境变量 %1：将使用其中的密钥，而非已保存的密钥。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/cloud_settings.py" line="151"/>
        <source>Forget stored keys</source>
        <translation>清除已保存的密钥</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/cloud_settings.py" line="153"/>
        <source>Test connection</source>
        <translation>测试连接</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/cloud_settings.py" line="155"/>
        <source>Send one tiny image with the values in this tab (empty keys: the stored ones) and say whether the service answers</source>
        <translation>用本页中的设置发送一张很小的图片（密钥留空则使用已保存的密钥），检查服务是否应答</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/cloud_settings.py" line="191"/>
        <source>Keys are kept in the system keyring (%1).</source>
        <translation>密钥保存在系统密钥环中（%1）。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/cloud_settings.py" line="192"/>
        <source>No system keyring is available (no Secret Service / Keychain / Credential Manager found): keys are kept in memory for this session only and must be entered again next time.</source>
        <translation>没有可用的系统密钥环（未找到 Secret Service / 钥匙串 / 凭据管理器）：密钥仅在本次会话中保存在内存里，下次需要重新输入。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/cloud_settings.py" line="214"/>
        <source>Keys are set; the connection has not been tested.</source>
        <translation>已设置密钥；尚未测试连接。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/cloud_settings.py" line="216"/>
        <source>No keys are stored; the connection has not been tested.</source>
        <translation>未保存密钥；尚未测试连接。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/cloud_settings.py" line="235"/>
        <source>Testing the connection…</source>
        <translation>正在测试连接…</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/cloud_settings.py" line="258"/>
        <source>Connected: %1 answered, the settings and keys work.</source>
        <translation>已连接：%1 已应答，设置和密钥均有效。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/cloud_settings.py" line="266"/>
        <source>The connection test failed: %1</source>
        <translation>连接测试失败：%1</translation>
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
        <source>local</source>
        <translation type="vanished">本地</translation>
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
        <location filename="../../desktop_ocr/gui/compare.py" line="238"/>
        <source>%1 lines</source>
        <translation>%1 行</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/compare.py" line="245"/>
        <source>failed: %1</source>
        <translation>失败：%1</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/compare.py" line="258"/>
        <source>one side failed: nothing to compare</source>
        <translation>有一方识别失败：无法对比</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/compare.py" line="265"/>
        <source>%1 of %2 lines differ</source>
        <translation>%2 行中有 %1 行不同</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/compare.py" line="267"/>
        <source>%1: %2    |    %3: %4</source>
        <translation>%1：%2    |    %3：%4</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="39"/>
        <source>The operation failed.</source>
        <extracomment>key -&gt; variants (most specific first). Placeholders are {name}s from the error&apos;s params (or the caller&apos;s context); see _value for how each is written.</extracomment>
        <translation>操作失败。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="40"/>
        <source>There is nothing to read: the input is empty.</source>
        <translation>没有可识别的内容：输入为空。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="41"/>
        <source>This input cannot be opened as an image.</source>
        <translation>无法将此输入作为图片打开。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="42"/>
        <source>The file is not an image that can be read, or it is damaged.</source>
        <translation>该文件不是可读取的图片，或已损坏。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="43"/>
        <source>The image is too small to read.</source>
        <translation>图片太小，无法识别。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="44"/>
        <source>The image is too large to read.</source>
        <translation>图片太大，无法识别。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="46"/>
        <source>The image could not be downloaded from {host}.</source>
        <translation>无法从 {host} 下载图片。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="47"/>
        <source>The image could not be downloaded.</source>
        <translation>无法下载图片。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="49"/>
        <source>No text was found in the image.</source>
        <translation>图片中未找到文字。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="50"/>
        <source>The OCR engine is not available.</source>
        <translation>OCR 引擎不可用。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="52"/>
        <source>{vendor} answered with an error ({vendor_code}).</source>
        <translation>{vendor} 返回了错误（{vendor_code}）。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="53"/>
        <source>{vendor} answered with an error.</source>
        <translation>{vendor} 返回了错误。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="54"/>
        <source>The cloud service answered with an error.</source>
        <translation>云服务返回了错误。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="57"/>
        <source>{vendor} refused the keys ({vendor_code}): check them in Cloud Settings.</source>
        <translation>{vendor} 拒绝了密钥（{vendor_code}）：请在云端设置中检查密钥。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="58"/>
        <source>{vendor} refused the keys: check them in Cloud Settings.</source>
        <translation>{vendor} 拒绝了密钥：请在云端设置中检查密钥。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="59"/>
        <source>The cloud service refused the keys: check them in Cloud Settings.</source>
        <translation>云服务拒绝了密钥：请在云端设置中检查密钥。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="62"/>
        <source>{vendor} refused the call: too many requests, or the quota is used up ({vendor_code}).</source>
        <translation>{vendor} 拒绝了调用：请求过多，或配额已用完（{vendor_code}）。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="64"/>
        <source>{vendor} refused the call: too many requests, or the quota is used up.</source>
        <translation>{vendor} 拒绝了调用：请求过多，或配额已用完。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="65"/>
        <source>The cloud service refused the call: too many requests, or the quota is used up.</source>
        <translation>云服务拒绝了调用：请求过多，或配额已用完。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="68"/>
        <source>Cancelled.</source>
        <translation>已取消。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="70"/>
        <location filename="../../desktop_ocr/gui/error_text.py" line="227"/>
        <source>{path} could not be written.</source>
        <translation>无法写入 {path}。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="71"/>
        <location filename="../../desktop_ocr/gui/error_text.py" line="228"/>
        <source>The result could not be written.</source>
        <translation>无法写入结果。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="74"/>
        <source>The folder holds no images.</source>
        <translation>该文件夹中没有图片。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="77"/>
        <source>Only http:// and https:// addresses can be opened, not {scheme}://.</source>
        <translation>只能打开 http:// 和 https:// 地址，无法打开 {scheme}:// 地址。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="78"/>
        <source>This is a folder, not an image file.</source>
        <translation>这是一个文件夹，不是图片文件。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="79"/>
        <source>This is a named pipe (FIFO), not a file.</source>
        <translation>这是一个命名管道（FIFO），不是文件。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="80"/>
        <source>This is a device, not a file.</source>
        <translation>这是一个设备，不是文件。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="81"/>
        <source>This is a socket, not a file.</source>
        <translation>这是一个套接字，不是文件。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="82"/>
        <location filename="../../desktop_ocr/gui/error_text.py" line="83"/>
        <source>This is not a regular file.</source>
        <translation>这不是普通文件。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="85"/>
        <source>This is a symbolic link loop (it points back to itself).</source>
        <translation>这是一个循环的符号链接（它指回了自身）。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="86"/>
        <source>This is a symbolic link to a missing file.</source>
        <translation>这是一个指向不存在文件的符号链接。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="87"/>
        <location filename="../../desktop_ocr/gui/error_text.py" line="296"/>
        <source>The file does not exist (any more).</source>
        <translation>该文件不存在（可能已被删除）。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="88"/>
        <source>You are not allowed to read this file.</source>
        <translation>没有读取此文件的权限。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="89"/>
        <source>The file cannot be read (a system error).</source>
        <translation>无法读取该文件（系统错误）。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="91"/>
        <source>The PDF has no pages.</source>
        <translation>该 PDF 没有页面。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="92"/>
        <source>PDF page numbers start at 1.</source>
        <translation>PDF 页码从 1 开始。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="94"/>
        <source>The TIFF has no page {page}: it has {count} page(s).</source>
        <translation>该 TIFF 没有第 {page} 页：它共有 {count} 页。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="95"/>
        <source>The TIFF has no such page.</source>
        <translation>该 TIFF 没有这一页。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="98"/>
        <source>The PDF has no page {page}: it has {count} page(s).</source>
        <translation>该 PDF 没有第 {page} 页：它共有 {count} 页。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="99"/>
        <source>The PDF has no such page.</source>
        <translation>该 PDF 没有此页。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="102"/>
        <source>PDF page {page} is {width_in} x {height_in} inches: too large to render readably.</source>
        <translation>PDF 第 {page} 页为 {width_in} x {height_in} 英寸：太大，无法渲染成可识别的图像。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="104"/>
        <source>The PDF page is too large to render readably.</source>
        <translation>该 PDF 页面太大，无法渲染成可识别的图像。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="107"/>
        <source>The PDF is password-protected; open it without a password first.</source>
        <translation>该 PDF 受密码保护；请先解除其密码保护。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="108"/>
        <source>The PDF is damaged and cannot be read.</source>
        <translation>该 PDF 已损坏，无法读取。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="111"/>
        <source>The file is {size_mb} MB; the limit is {limit_mb} MB.</source>
        <translation>文件大小为 {size_mb} MB，上限为 {limit_mb} MB。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="113"/>
        <source>The download is {size_mb} MB; the limit is {limit_mb} MB.</source>
        <translation>下载内容大小为 {size_mb} MB，上限为 {limit_mb} MB。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="114"/>
        <location filename="../../desktop_ocr/gui/error_text.py" line="138"/>
        <source>The download passed the {limit_mb} MB limit and was stopped.</source>
        <translation>下载内容超过了 {limit_mb} MB 的上限，已停止下载。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="118"/>
        <source>{host} did not answer within {seconds} s.</source>
        <translation>{host} 在 {seconds} 秒内没有应答。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="119"/>
        <source>The download timed out.</source>
        <translation>下载超时。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="122"/>
        <source>Cannot connect to {host}: check the address and the network connection.</source>
        <translation>无法连接到 {host}：请检查地址和网络连接。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="123"/>
        <source>Cannot connect to the server: check the address and the network connection.</source>
        <translation>无法连接到服务器：请检查地址和网络连接。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="126"/>
        <source>{host} sent an answer that is not valid HTTP.</source>
        <translation>{host} 返回的应答不是有效的 HTTP。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="127"/>
        <source>The server sent an answer that is not valid HTTP.</source>
        <translation>服务器返回的应答不是有效的 HTTP。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="130"/>
        <source>The download from {host} broke off before the end.</source>
        <translation>从 {host} 下载时中途中断。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="131"/>
        <source>The download broke off before the end.</source>
        <translation>下载中途中断。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="134"/>
        <source>{host} answered HTTP {status}: the image is not available there.</source>
        <translation>{host} 返回 HTTP {status}：无法从该地址获取图片。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="135"/>
        <source>The server answered HTTP {status}: the image is not available there.</source>
        <translation>服务器返回 HTTP {status}：无法从该地址获取图片。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="139"/>
        <source>The download is too large.</source>
        <translation>下载内容太大。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="142"/>
        <source>{host} redirected to a {scheme}:// address; only http and https are followed.</source>
        <translation>{host} 重定向到了 {scheme}:// 地址；只跟随 http 和 https 重定向。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="143"/>
        <source>The server redirected to an address that is not http or https.</source>
        <translation>服务器重定向到了非 http 或 https 的地址。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="146"/>
        <source>{host} redirected more than {limit} times (a redirect loop?).</source>
        <translation>{host} 重定向超过 {limit} 次（可能是重定向循环）。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="147"/>
        <source>The server redirected too many times (a redirect loop?).</source>
        <translation>服务器重定向次数过多（可能是重定向循环）。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="151"/>
        <source>{vendor} is not set up: {fields} missing or wrong. Open Cloud Settings.</source>
        <translation>{vendor} 尚未设置好：{fields} 缺失或有误。请打开云端设置。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="152"/>
        <source>{vendor} is not set up: a setting is missing or wrong. Open Cloud Settings.</source>
        <translation>{vendor} 尚未设置好：有设置项缺失或有误。请打开云端设置。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="153"/>
        <source>The cloud service is not set up: a setting is missing or wrong. Open Cloud Settings.</source>
        <translation>云服务尚未设置好：有设置项缺失或有误。请打开云端设置。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="157"/>
        <source>The OCR model files are missing: reinstall desktop_ocr (models are never downloaded).</source>
        <translation>缺少 OCR 模型文件：请重新安装 desktop_ocr（程序从不下载模型）。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="159"/>
        <source>The OCR engine failed to load.</source>
        <translation>OCR 引擎加载失败。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="161"/>
        <source>{vendor} needs the optional cloud packages, which are not installed.</source>
        <translation>{vendor} 需要可选的云端组件包，但它们未安装。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="162"/>
        <source>The cloud services need the optional cloud packages, which are not installed.</source>
        <translation>云服务需要可选的云端组件包，但它们未安装。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="166"/>
        <source>Cannot reach {vendor} at {host}: check the network connection and the endpoint.</source>
        <translation>无法通过 {host} 访问 {vendor}：请检查网络连接和服务地址。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="167"/>
        <source>Cannot reach {vendor}: check the network connection and the endpoint.</source>
        <translation>无法访问 {vendor}：请检查网络连接和服务地址。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="168"/>
        <source>Cannot reach the cloud service: check the network connection and the endpoint.</source>
        <translation>无法访问云服务：请检查网络连接和服务地址。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="171"/>
        <source>{vendor} did not answer within {seconds} s.</source>
        <translation>{vendor} 在 {seconds} 秒内没有应答。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="172"/>
        <source>{vendor} did not answer in time.</source>
        <translation>{vendor} 未能及时应答。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="173"/>
        <source>The cloud service did not answer in time.</source>
        <translation>云服务未能及时应答。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="176"/>
        <source>{vendor} had a server error ({vendor_code}); try again later.</source>
        <translation>{vendor} 发生服务器错误（{vendor_code}）；请稍后重试。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="177"/>
        <source>{vendor} had a server error (HTTP {status}); try again later.</source>
        <translation>{vendor} 发生服务器错误（HTTP {status}）；请稍后重试。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="178"/>
        <source>{vendor} had a server error; try again later.</source>
        <translation>{vendor} 发生服务器错误；请稍后重试。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="179"/>
        <source>The cloud service had a server error; try again later.</source>
        <translation>云服务发生服务器错误；请稍后重试。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="182"/>
        <source>{vendor} sent an answer that cannot be read.</source>
        <translation>{vendor} 返回的应答无法解析。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="183"/>
        <source>The cloud service sent an answer that cannot be read.</source>
        <translation>云服务返回的应答无法解析。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="186"/>
        <source>{vendor} refused the request ({vendor_code}).</source>
        <translation>{vendor} 拒绝了请求（{vendor_code}）。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="187"/>
        <source>{vendor} refused the request (HTTP {status}).</source>
        <translation>{vendor} 拒绝了请求（HTTP {status}）。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="188"/>
        <source>{vendor} refused the request.</source>
        <translation>{vendor} 拒绝了请求。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="189"/>
        <source>The cloud service refused the request.</source>
        <translation>云服务拒绝了请求。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="192"/>
        <source>An unexpected error stopped the test; please report it with the details.</source>
        <translation>测试因意外错误而中止；请连同详细信息一起报告此问题。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="195"/>
        <source>{path} could not be written: the disk is full.</source>
        <translation>无法写入 {path}：磁盘已满。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="196"/>
        <source>The result could not be written: the disk is full.</source>
        <translation>无法写入结果：磁盘已满。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="199"/>
        <source>{path} could not be written: the file size limit was reached.</source>
        <translation>无法写入 {path}：已达到文件大小上限。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="200"/>
        <source>The result could not be written: the file size limit was reached.</source>
        <translation>无法写入结果：已达到文件大小上限。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="203"/>
        <source>{path} could not be written: the file system is read-only.</source>
        <translation>无法写入 {path}：文件系统为只读。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="204"/>
        <source>The result could not be written: the file system is read-only.</source>
        <translation>无法写入结果：文件系统为只读。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="207"/>
        <source>{path} could not be written: input/output error on the device.</source>
        <translation>无法写入 {path}：设备发生输入/输出错误。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="208"/>
        <source>The result could not be written: input/output error on the device.</source>
        <translation>无法写入结果：设备发生输入/输出错误。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="211"/>
        <source>{folder} is not a folder.</source>
        <translation>{folder} 不是文件夹。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="212"/>
        <source>The output folder is not a folder.</source>
        <translation>指定的输出位置不是文件夹。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="215"/>
        <source>Nothing can be written into the folder {folder}.</source>
        <translation>无法向文件夹 {folder} 写入任何内容。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="216"/>
        <source>Nothing can be written into the output folder.</source>
        <translation>无法向输出文件夹写入任何内容。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="219"/>
        <source>{path} could not be written: permission denied.</source>
        <translation>无法写入 {path}：权限不足。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="220"/>
        <source>The result could not be written: permission denied.</source>
        <translation>无法写入结果：权限不足。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="223"/>
        <source>{path} is a folder; the result cannot be written there.</source>
        <translation>{path} 是一个文件夹；无法将结果写入此处。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="225"/>
        <source>{path} already exists and was not replaced.</source>
        <translation>{path} 已存在，未替换。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="231"/>
        <source>{path} could not be removed.</source>
        <translation>无法删除 {path}。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="232"/>
        <source>A file could not be removed.</source>
        <translation>无法删除文件。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="235"/>
        <source>The screen could not be captured.</source>
        <translation>无法截取屏幕。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="237"/>
        <source>The screen cannot be captured: no way of taking a screenshot worked on this desktop.</source>
        <translation>无法截取屏幕：在此桌面上没有一种截图方式可用。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="240"/>
        <source>The rectangle {x},{y} {width}x{height} lies outside every screen.</source>
        <translation>矩形 {x},{y} {width}x{height} 不在任何屏幕内。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="241"/>
        <source>The rectangle lies outside every screen.</source>
        <translation>该矩形不在任何屏幕内。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="244"/>
        <source>The screenshot was cancelled or not allowed by the desktop.</source>
        <translation>截图被取消，或桌面不允许截图。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="246"/>
        <source>The desktop could not take the screenshot.</source>
        <translation>桌面无法完成截图。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="248"/>
        <source>The desktop did not answer the screenshot request within {timeout} s.</source>
        <translation>桌面在 {timeout} 秒内未响应截图请求。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="249"/>
        <source>The desktop did not answer the screenshot request.</source>
        <translation>桌面未响应截图请求。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="252"/>
        <source>There is no screen {screen} to capture.</source>
        <translation>没有可截取的屏幕 {screen}。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="253"/>
        <source>There is no screen to capture.</source>
        <translation>没有可截取的屏幕。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="255"/>
        <source>The screen could not be grabbed.</source>
        <translation>无法抓取屏幕图像。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="257"/>
        <source>The global shortcut could not be set up.</source>
        <translation>无法设置全局快捷键。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="259"/>
        <source>{key} is already a global shortcut of another program.</source>
        <translation>{key} 已是其他程序的全局快捷键。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="260"/>
        <source>The key is already a global shortcut of another program.</source>
        <translation>该按键已是其他程序的全局快捷键。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="263"/>
        <source>{key} cannot be used as a global shortcut on this keyboard.</source>
        <translation>{key} 在此键盘上不能用作全局快捷键。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="264"/>
        <source>The key cannot be used as a global shortcut on this keyboard.</source>
        <translation>该按键在此键盘上不能用作全局快捷键。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="267"/>
        <source>The X display {display} cannot be opened for the global shortcut.</source>
        <translation>无法为全局快捷键打开 X 显示 {display}。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="268"/>
        <source>The X display cannot be opened for the global shortcut.</source>
        <translation>无法为全局快捷键打开 X 显示。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="271"/>
        <source>The desktop did not allow the global shortcut, or it was cancelled.</source>
        <translation>桌面环境未允许该全局快捷键，或操作已取消。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="273"/>
        <source>The desktop could not set up the global shortcut.</source>
        <translation>桌面环境无法设置该全局快捷键。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="275"/>
        <source>The desktop did not answer the global shortcut request within {timeout} s.</source>
        <translation>桌面环境在 {timeout} 秒内未响应全局快捷键请求。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="276"/>
        <source>The desktop did not answer the global shortcut request.</source>
        <translation>桌面环境未响应全局快捷键请求。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="279"/>
        <source>This desktop offers no way of setting a global shortcut: bind a desktop shortcut to &quot;desktop-ocr capture&quot; instead.</source>
        <translation>此桌面环境无法设置全局快捷键：请改为给“desktop-ocr capture”绑定一个桌面快捷键。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="282"/>
        <source>Global shortcuts are not available on this system yet: bind a system shortcut to &quot;desktop-ocr capture&quot; instead.</source>
        <translation>此系统暂不支持全局快捷键：请改为给“desktop-ocr capture”绑定一个系统快捷键。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="294"/>
        <source>Something went wrong (a fault of desktop_ocr); please report it with the details.</source>
        <extracomment>a quota reason on a vendor&apos;s own error code reads like a rate limit; an auth reason like AuthFailed</extracomment>
        <translation>出现了问题（desktop_ocr 自身的故障）；请连同详细信息一起报告此问题。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="297"/>
        <source>Permission denied.</source>
        <translation>权限不足。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="298"/>
        <source>A system error stopped the operation.</source>
        <translation>操作因系统错误而中止。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/error_text.py" line="299"/>
        <source>A setting is missing or wrong.</source>
        <translation>有设置项缺失或有误。</translation>
    </message>
</context>
<context>
    <name>Export</name>
    <message>
        <location filename="../../desktop_ocr/gui/export.py" line="239"/>
        <source>Replace files?</source>
        <translation>替换文件？</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/export.py" line="240"/>
        <source>%1 file(s) already exist in the folder:</source>
        <translation>文件夹中已有 %1 个同名文件：</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/export.py" line="242"/>
        <source>Replace them? (No keeps them and writes only the new files.)</source>
        <translation>是否替换？（选“否”将保留它们，只写入新文件。）</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/export.py" line="252"/>
        <location filename="../../desktop_ocr/gui/export.py" line="285"/>
        <source>Export as %1</source>
        <translation>导出为 %1</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/export.py" line="253"/>
        <location filename="../../desktop_ocr/gui/export.py" line="286"/>
        <source>All files (*)</source>
        <translation>所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/export.py" line="273"/>
        <source>Export Document</source>
        <translation>导出文档</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/export.py" line="301"/>
        <source>Searchable PDF</source>
        <translation>可搜索 PDF</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/export.py" line="305"/>
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
    <message>
        <location filename="../../desktop_ocr/gui/results_panel.py" line="73"/>
        <source>Decoded %1 (QR code or barcode)</source>
        <translation>已解码 %1（二维码或条形码）</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="767"/>
        <source>Cannot show %1 again: %2</source>
        <translation>无法再次显示 %1：%2</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="358"/>
        <source>desktop_ocr — offline OCR</source>
        <extracomment>a document opened on its own with more pages than this asks which to recognise (all by default); a folder&apos;s documents are queued whole (a queued page holds no pixels: workers.Document) Capture Region waits this long after hiding the window, so it is gone from the screenshot (window managers and compositors animate the hiding) where Capture Region&apos;s screenshots come from: every screen&apos;s picture (capture.grab) what is known of a cloud backend&apos;s connection: &quot;ok&quot; (a call went through), &quot;failed&quot; (the last call failed on the way or was refused); absent = not checked since its settings changed</extracomment>
        <translation>desktop_ocr — 离线文字识别</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="360"/>
        <source>&amp;Open…</source>
        <translation>打开(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="360"/>
        <source>Open &amp;Folder…</source>
        <translation>打开文件夹(&amp;F)…</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="361"/>
        <source>Open &amp;URL…</source>
        <translation>打开网址(&amp;U)…</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="361"/>
        <source>Open &amp;Sample Image</source>
        <translation>打开示例图片(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="362"/>
        <source>&amp;Paste Image or URL</source>
        <translation>粘贴图片或网址(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="362"/>
        <source>&amp;Copy Selected Lines</source>
        <translation>复制所选行(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="363"/>
        <source>Copy &amp;All Text</source>
        <translation>复制全部文本(&amp;A)</translation>
    </message>
    <message>
        <source>Copy &amp;JSON</source>
        <translation type="vanished">复制 JSON(&amp;J)</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="365"/>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="365"/>
        <source>Export Batch…</source>
        <translation>批量导出…</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="366"/>
        <source>Export &amp;Document…</source>
        <translation>导出文档(&amp;D)…</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="367"/>
        <source>Searchable PDF…</source>
        <translation>可搜索 PDF…</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="367"/>
        <source>Searchable PDFs…</source>
        <translation>可搜索 PDF（每个文档一份）…</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="368"/>
        <source>Cancel &amp;Batch</source>
        <translation>取消批量任务(&amp;B)</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="368"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="369"/>
        <source>Zoom &amp;In</source>
        <translation>放大(&amp;I)</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="369"/>
        <source>Zoom &amp;Out</source>
        <translation>缩小(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="370"/>
        <source>&amp;Fit</source>
        <translation>适合窗口(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="370"/>
        <source>&amp;100%</source>
        <translation>100%(&amp;1)</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="371"/>
        <source>Show Page &amp;Upright</source>
        <translation>摆正页面(&amp;U)</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="371"/>
        <source>&amp;About</source>
        <translation>关于(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="372"/>
        <source>Read &amp;QR Codes and Barcodes</source>
        <translation>读取二维码和条形码(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="374"/>
        <source>Serve API</source>
        <translation>提供 API 服务</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="375"/>
        <source>Capture &amp;Region</source>
        <translation>截取区域(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="376"/>
        <source>&amp;Show It in the Window</source>
        <translation>在窗口中显示(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="377"/>
        <source>Copy the Text: &amp;Lines as They Are</source>
        <translation>复制文字：按原有行(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="378"/>
        <source>Copy the Text: Joined into &amp;Paragraphs</source>
        <translation>复制文字：合并为段落(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="379"/>
        <source>Copy the Text: &amp;One Line</source>
        <translation>复制文字：合并为一行(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="380"/>
        <source>Copy the Text: Keeping the &amp;Layout (Table Rows)</source>
        <translation>复制文字：保留版式（表格行）(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="384"/>
        <source>Open images or PDFs (Ctrl+O)</source>
        <translation>打开图片或 PDF (Ctrl+O)</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="385"/>
        <source>Rotate the view by the detected page angle</source>
        <translation>按检测到的页面角度旋转视图</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="387"/>
        <source>Export every recognised page of the document on screen (a PDF or TIFF) in one go</source>
        <translation>一次导出当前文档（PDF 或 TIFF）中所有已识别的页面</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="389"/>
        <source>A PDF of the document or image on screen with its recognised text, searchable and selectable</source>
        <translation>当前文档或图片的 PDF，附带识别出的文字，可搜索、可选中</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="390"/>
        <source>One searchable PDF per document or image, into a folder</source>
        <translation>每个文档或图片各生成一份可搜索 PDF，存入一个文件夹</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="391"/>
        <source>List the QR codes and barcodes of the next images as lines of their own</source>
        <translation>将后续图片中的二维码和条形码作为单独的行列出</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="392"/>
        <source>A receipt drawn for trying the app</source>
        <translation>用于试用本程序的示例小票</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="393"/>
        <source>Serve the cloud vendors&apos; OCR APIs on 127.0.0.1, answered by the local engine (the port is in the status bar)</source>
        <translation>在 127.0.0.1 上提供各云厂商的 OCR API，由本地引擎应答（端口在状态栏中设置）</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="395"/>
        <source>System Language</source>
        <translation>跟随系统语言</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="396"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="397"/>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="398"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="399"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="400"/>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="401"/>
        <source>After a &amp;Capture</source>
        <translation>截取之后(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="402"/>
        <source>Drag a rectangle anywhere on the screen and recognise it (%1; Enter repeats the last region, Esc cancels)</source>
        <translation>在屏幕任意位置拖出一个矩形并识别（%1；回车重复上次区域，Esc 取消）</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="405"/>
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="406"/>
        <source>&amp;Export Image As</source>
        <translation>导出当前图片为(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="407"/>
        <source>Export &amp;Batch As</source>
        <translation>批量导出为(&amp;B)</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="411"/>
        <source>Export %1</source>
        <translation>导出 %1</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="413"/>
        <source> Engine: </source>
        <translation> 引擎：</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="416"/>
        <source>Threshold </source>
        <translation>阈值 </translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="417"/>
        <source>Hide low</source>
        <translation>隐藏低分行</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="418"/>
        <source>Hide lines scored below the threshold (canvas and list)</source>
        <translation>隐藏置信度低于阈值的行（画布和列表）</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="423"/>
        <source>below threshold</source>
        <translation>低于阈值</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="425"/>
        <source>Drop images, PDFs, folders or web links here

Ctrl+O open · Ctrl+V paste · File &gt; Open Sample Image</source>
        <translation>将图片、PDF、文件夹或网页链接拖放到这里

Ctrl+O 打开 · Ctrl+V 粘贴 · 文件 &gt; 打开示例图片</translation>
    </message>
    <message>
        <source>The %1 engine is not available: %2</source>
        <translation type="vanished">%1 引擎不可用：%2</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="667"/>
        <source>pasted image</source>
        <translation>粘贴的图片</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="682"/>
        <source>Nothing to open: the clipboard or drop holds no image, file or URL.</source>
        <translation>没有可打开的内容：剪贴板或拖放内容中没有图片、文件或网址。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="701"/>
        <source>Open images</source>
        <translation>打开图片</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="702"/>
        <source>Images and PDFs</source>
        <translation>图片和 PDF</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="703"/>
        <source>All files (*)</source>
        <translation>所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="708"/>
        <source>Open folder</source>
        <translation>打开文件夹</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="730"/>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="794"/>
        <source>Could not recognise %1: %2</source>
        <translation>无法识别 %1：%2</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="861"/>
        <source>loading models…</source>
        <translation>正在加载模型…</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="861"/>
        <source>ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="859"/>
        <location filename="../../desktop_ocr/gui/main_window.py" line="862"/>
        <source>unavailable</source>
        <translation>不可用</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="364"/>
        <source>Copy &amp;JSON (%1)</source>
        <translation>复制 JSON（%1）(&amp;J)</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="509"/>
        <source>Cannot compare %1: %2</source>
        <translation>无法对比 %1：%2</translation>
    </message>
    <message>
        <source>Cannot capture the screen: %2</source>
        <translation type="vanished">无法截取屏幕：%2</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="581"/>
        <source>Copied the text of %1 to the clipboard.</source>
        <translation>已将 %1 的文字复制到剪贴板。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="601"/>
        <source>Cannot open %1: %2</source>
        <translation>无法打开 %1：%2</translation>
    </message>
    <message>
        <source>%1 has %2 pages: only the first %3 are recognised.</source>
        <translation type="vanished">%1 共 %2 页：只识别前 %3 页。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="856"/>
        <source>connected</source>
        <translation>已连接</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="856"/>
        <source>last call failed</source>
        <translation>上次调用失败</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="857"/>
        <source>checking settings…</source>
        <translation>正在检查设置…</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="858"/>
        <source>set up, not checked yet</source>
        <translation>已设置，尚未检查</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="863"/>
        <source>Engine: %1 (%2)</source>
        <translation>引擎：%1（%2）</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="869"/>
        <source>recognising…</source>
        <translation>识别中…</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="874"/>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_ocr/gui/main_window.py" line="877"/>
        <source>%n line(s)</source>
        <translation>
            <numerusform>%n 行</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="879"/>
        <source>Angle: %1</source>
        <translation>角度：%1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_ocr/gui/main_window.py" line="924"/>
        <source>%n line(s) hidden by Hide low left out.</source>
        <translation>
            <numerusform>已略去被“隐藏低分行”隐藏的 %n 行。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="944"/>
        <source>Copied the text shown.</source>
        <translation>已复制显示的文本。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="951"/>
        <source>Copied the result as %1.</source>
        <translation>已按 %1 复制结果。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="958"/>
        <source>Nothing to export yet: no recognised image is shown.</source>
        <translation>暂无可导出的内容：当前没有已识别的图片。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="1003"/>
        <source>Nothing to export yet: no page of the document on screen is recognised.</source>
        <translation>暂无可导出的内容：当前文档还没有识别完成的页面。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="1026"/>
        <source> %1 of %2 pages are not recognised yet: they are left out.</source>
        <translation> %2 页中有 %1 页尚未识别：已略过。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_ocr/gui/main_window.py" line="1029"/>
        <source>%n file(s) in %1</source>
        <translation>
            <numerusform>%1 中的 %n 个文件</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="1039"/>
        <source>Nothing to export yet: open a document or an image first.</source>
        <translation>暂无可导出的内容：请先打开文档或图片。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="1065"/>
        <source>Writing %1…</source>
        <translation>正在写入 %1…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_ocr/gui/main_window.py" line="1076"/>
        <source>%n page(s) not recognised yet are in it without text.</source>
        <translation>
            <numerusform>其中 %n 页尚未识别，不含文字。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="1081"/>
        <location filename="../../desktop_ocr/gui/main_window.py" line="1099"/>
        <source>Export failed for %1: %2</source>
        <translation>导出 %1 失败：%2</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="972"/>
        <location filename="../../desktop_ocr/gui/main_window.py" line="1031"/>
        <location filename="../../desktop_ocr/gui/main_window.py" line="1073"/>
        <source>Exported %1</source>
        <translation>已导出 %1</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="643"/>
        <source>Resumed: %1 of %2 pages of %3 were read in an earlier session.</source>
        <translation>已续接：%3 的 %2 页中有 %1 页已在之前的会话中识别。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="648"/>
        <source>Recognition goes on, but %1 cannot be resumed if it is interrupted: %2</source>
        <translation>识别会继续进行，但 %1 若被中断将无法续接：%2</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_ocr/gui/main_window.py" line="992"/>
        <location filename="../../desktop_ocr/gui/main_window.py" line="1074"/>
        <source>Exported %n file(s) to %1</source>
        <translation>
            <numerusform>已导出 %n 个文件到 %1</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="1107"/>
        <source>About desktop_ocr</source>
        <translation>关于 desktop_ocr</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="1108"/>
        <source>&lt;b&gt;desktop_ocr %1&lt;/b&gt;&lt;br&gt;Offline OCR for Simplified Chinese and English.&lt;br&gt;Recognition: RapidOCR (PP-OCR models on ONNX Runtime), all on this computer.</source>
        <translation>&lt;b&gt;desktop_ocr %1&lt;/b&gt;&lt;br&gt;简体中文与英文离线文字识别。&lt;br&gt;识别引擎：RapidOCR（PP-OCR 模型，ONNX Runtime），全部在本机运行。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="373"/>
        <source>Cloud Settings…</source>
        <translation>云端设置…</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="373"/>
        <source>Compare with Cloud…</source>
        <translation>与云端对比…</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/main_window.py" line="491"/>
        <source>Open an image first, then compare it with a cloud service.</source>
        <translation>请先打开一张图片，再与云服务对比。</translation>
    </message>
</context>
<context>
    <name>MessageBar</name>
    <message>
        <location filename="../../desktop_ocr/gui/message_bar.py" line="59"/>
        <source>Details</source>
        <translation>详细信息</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/message_bar.py" line="60"/>
        <source>Show the technical details (in English)</source>
        <translation>显示技术细节（英文）</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/message_bar.py" line="61"/>
        <source>Close</source>
        <translation>关闭</translation>
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
    <name>PageStrip</name>
    <message>
        <location filename="../../desktop_ocr/gui/page_strip.py" line="157"/>
        <source>queued</source>
        <translation>排队中</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/page_strip.py" line="157"/>
        <source>reading…</source>
        <translation>识别中…</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/page_strip.py" line="157"/>
        <source>done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/page_strip.py" line="158"/>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/page_strip.py" line="158"/>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/page_strip.py" line="164"/>
        <source>Page %1 of %2: %3</source>
        <translation>第 %1 页，共 %2 页：%3</translation>
    </message>
</context>
<context>
    <name>PdfPagePicker</name>
    <message>
        <source>Choose PDF pages</source>
        <translation type="vanished">选择 PDF 页面</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/dialogs.py" line="54"/>
        <source>Choose pages</source>
        <translation>选择页面</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/dialogs.py" line="58"/>
        <source>Page %1</source>
        <translation>第 %1 页</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/dialogs.py" line="64"/>
        <source>%1 has %2 page(s). Recognise:</source>
        <translation>%1 共 %2 页。识别：</translation>
    </message>
</context>
<context>
    <name>Resident</name>
    <message>
        <location filename="../../desktop_ocr/gui/tray.py" line="157"/>
        <source>Capture a region of the screen and recognise its text</source>
        <extracomment>the global shortcut when the window has no Capture Region key of its own the global shortcut was pressed (emitted on the hotkey handler&apos;s thread; handled on this one)</extracomment>
        <translation>截取屏幕区域并识别其中的文字</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/tray.py" line="167"/>
        <source>The global shortcut is off: %2</source>
        <translation>全局快捷键已关闭：%2</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/tray.py" line="198"/>
        <source>Start at login could not be changed: %2</source>
        <translation>无法更改登录时启动：%2</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/tray.py" line="208"/>
        <source>Capture Region</source>
        <translation>截取区域</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/tray.py" line="209"/>
        <source>Open Window</source>
        <translation>打开窗口</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/tray.py" line="210"/>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/tray.py" line="211"/>
        <source>Keep Running in the Tray When Closed</source>
        <translation>关闭窗口后在托盘中继续运行</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/tray.py" line="212"/>
        <source>Start at Login</source>
        <translation>登录时启动</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/tray.py" line="213"/>
        <source>Start hidden in the tray when you log in</source>
        <translation>登录时在托盘中隐藏启动</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/tray.py" line="214"/>
        <source>Global Shortcut</source>
        <translation>全局快捷键</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/tray.py" line="215"/>
        <source>Press %1 anywhere to capture a region, even with the window hidden</source>
        <translation>在任何地方按 %1 即可截取区域，窗口隐藏时也可以</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/tray.py" line="220"/>
        <source>Closing the window hides it; Quit ends the program</source>
        <translation>关闭窗口只会隐藏它；“退出”才会结束程序</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/tray.py" line="222"/>
        <source>No system tray is available on this desktop, so the program cannot keep running there</source>
        <translation>此桌面没有系统托盘，程序无法在托盘中继续运行</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/tray.py" line="225"/>
        <source>desktop_ocr — offline OCR</source>
        <translation>desktop_ocr — 离线文字识别</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/tray.py" line="285"/>
        <source>Still running in the tray; Quit in its menu ends it.</source>
        <translation>仍在托盘中运行；在托盘菜单中选择“退出”可结束程序。</translation>
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
        <source>Cannot serve the API on port %1: %2</source>
        <translation type="vanished">无法在端口 %1 上提供 API 服务：%2</translation>
    </message>
    <message>
        <source>The API server stopped: %1</source>
        <translation type="vanished">API 服务已停止：%1</translation>
    </message>
    <message>
        <source>unknown reason</source>
        <translation type="vanished">原因未知</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/serve_panel.py" line="192"/>
        <source>Cannot serve the API on port %1.</source>
        <translation>无法在端口 %1 上提供 API 服务。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/serve_panel.py" line="212"/>
        <source>The API server stopped.</source>
        <translation>API 服务已停止。</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/serve_panel.py" line="235"/>
        <source>API: off</source>
        <translation>API：已关闭</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/serve_panel.py" line="236"/>
        <source>API: starting on %1…</source>
        <translation>API：正在 %1 上启动…</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/serve_panel.py" line="237"/>
        <source>API: serving on %1</source>
        <translation>API：正在 %1 上服务</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/serve_panel.py" line="238"/>
        <source>API: stopping…</source>
        <translation>API：正在停止…</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/serve_panel.py" line="239"/>
        <source>API: error</source>
        <translation>API：出错</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_ocr/gui/serve_panel.py" line="243"/>
        <source>%n request(s)</source>
        <translation>
            <numerusform>%n 个请求</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/serve_panel.py" line="246"/>
        <source>last error: %1</source>
        <translation>最近错误：%1</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/serve_panel.py" line="248"/>
        <source>Serve API: the cloud vendors&apos; OCR APIs (AWS, Tencent, Huawei) on this computer, answered by the local engine. Point your clients at http://%1</source>
        <translation>提供 API 服务：在本机提供各云厂商（AWS、腾讯云、华为云）的 OCR API，由本地引擎应答。请将客户端指向 http://%1</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/serve_panel.py" line="251"/>
        <source>Last error answer: %1</source>
        <translation>最近一次错误应答：%1</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/serve_panel.py" line="257"/>
        <source>API port</source>
        <translation>API 端口</translation>
    </message>
    <message>
        <location filename="../../desktop_ocr/gui/serve_panel.py" line="258"/>
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
