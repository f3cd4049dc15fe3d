<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en_US" sourcelanguage="vi_VN">
<context>
    <name>ChipBar</name>
    <message>
        <location filename="../facets.py" line="248" />
        <source>Xoá tất cả</source>
        <translation>Clear all</translation>
    </message>
    <message>
        <location filename="../facets.py" line="262" />
        <source>Bỏ bộ lọc này</source>
        <translation>Remove this filter</translation>
    </message>
</context>
<context>
    <name>CoreMessages</name>
    <message>
        <location filename="../messages.py" line="18" />
        <source>Thiếu dấu ngoặc kép đóng: phần sau dấu ngoặc được tìm như một cụm từ.</source>
        <translation>Missing closing quote: the rest was searched as a phrase.</translation>
    </message>
    <message>
        <location filename="../messages.py" line="21" />
        <source>Dấu ngoặc đơn thừa đã được bỏ qua.</source>
        <translation>An unmatched parenthesis was ignored.</translation>
    </message>
    <message>
        <location filename="../messages.py" line="23" />
        <source>Thiếu dấu ngoặc đơn đóng: đã tự đóng ở cuối.</source>
        <translation>Missing closing parenthesis: closed at the end.</translation>
    </message>
    <message>
        <location filename="../messages.py" line="25" />
        <source>Ngoặc lồng nhau quá sâu: các ngoặc bên trong được bỏ qua.</source>
        <translation>Parentheses nested too deeply: the inner ones were ignored.</translation>
    </message>
    <message>
        <location filename="../messages.py" line="28" />
        <source>Không có trường “%1:”, được tìm như chữ thường.</source>
        <translation>There is no field “%1:”; it was searched as text.</translation>
    </message>
    <message>
        <location filename="../messages.py" line="31" />
        <source>Truy vấn quá dài: chỉ dùng %1 ký tự đầu.</source>
        <translation>Query too long: only its first %1 characters are used.</translation>
    </message>
    <message>
        <location filename="../messages.py" line="34" />
        <source>Truy vấn quá dài: chỉ dùng %1 từ đầu.</source>
        <translation>Query too long: only its first %1 words are used.</translation>
    </message>
    <message>
        <location filename="../messages.py" line="37" />
        <source>Truy vấn chỉ có từ bị loại trừ nên không khớp gì: hãy thêm một từ cần tìm.</source>
        <translation>A query of only excluded words matches nothing: add a word to search for.</translation>
    </message>
    <message>
        <location filename="../messages.py" line="40" />
        <source>“year:%1” không phải là một năm.</source>
        <translation>“year:%1” is not a year.</translation>
    </message>
    <message>
        <location filename="../messages.py" line="43" />
        <source>Chỉ mục chưa có bài nào: hãy thêm một thư mục bài báo.</source>
        <translation>The index is empty: add a folder of articles.</translation>
    </message>
    <message>
        <location filename="../messages.py" line="46" />
        <source>Không thể chạy truy vấn này (%1).</source>
        <translation>This query could not be run (%1).</translation>
    </message>
</context>
<context>
    <name>FacetPanel</name>
    <message>
        <location filename="../facets.py" line="121" />
        <source>Tỉnh theo tên trong bài</source>
        <translation>Province as named in the article</translation>
    </message>
    <message>
        <location filename="../facets.py" line="122" />
        <source>Tỉnh sau sáp nhập 2025</source>
        <translation>Province after the 2025 merger</translation>
    </message>
    <message>
        <location filename="../facets.py" line="123" />
        <source>Tỉnh, thành như bài báo gọi (trước tháng 7/2025)</source>
        <translation>The province as the article names it (before July 2025)</translation>
    </message>
    <message>
        <location filename="../facets.py" line="124" />
        <source>Tỉnh, thành mà nơi đó thuộc về sau sáp nhập tháng 7/2025</source>
        <translation>The province the place belongs to since the July 2025 merger</translation>
    </message>
    <message>
        <location filename="../facets.py" line="132" />
        <source>Tỉnh, thành</source>
        <translation>Province</translation>
    </message>
    <message>
        <location filename="../facets.py" line="132" />
        <source>Nguồn</source>
        <translation>Source</translation>
    </message>
    <message>
        <location filename="../facets.py" line="132" />
        <source>Năm</source>
        <translation>Year</translation>
    </message>
</context>
<context>
    <name>FailedFilesDialog</name>
    <message>
        <location filename="../status.py" line="19" />
        <source>Tệp không đọc được</source>
        <translation>Files that could not be read</translation>
    </message>
    <message>
        <location filename="../status.py" line="21" />
        <source>Tệp</source>
        <translation>File</translation>
    </message>
    <message>
        <location filename="../status.py" line="21" />
        <source>Lý do</source>
        <translation>Reason</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../main_window.py" line="67" />
        <source>Tìm kiếm bài báo</source>
        <translation>Article search</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="117" />
        <source>&amp;Tệp</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="118" />
        <source>Thêm thư mục…</source>
        <translation>Add folder…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="121" />
        <source>Bỏ thư mục khỏi chỉ mục…</source>
        <translation>Remove folder from index…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="124" />
        <source>Cập nhật chỉ mục</source>
        <translation>Update index</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="127" />
        <source>Lập lại chỉ mục từ đầu</source>
        <translation>Rebuild index from scratch</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="130" />
        <source>Thoát</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="134" />
        <source>&amp;Xem</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="135" />
        <source>Ngôn ngữ</source>
        <translation>Language</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="146" />
        <source>Trợ &amp;giúp</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="147" />
        <location filename="../main_window.py" line="409" />
        <source>Cú pháp tìm kiếm</source>
        <translation>Search syntax</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="249" />
        <source>Chỉ mục chưa có bài nào</source>
        <translation>The index is empty</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="290" />
        <source>Bài này không còn trong chỉ mục.</source>
        <translation>This article is no longer in the index.</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="324" />
        <source>Đang lập chỉ mục…</source>
        <translation>Indexing…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="353" />
        <source>Chỉ mục đang được cập nhật bởi một cửa sổ khác</source>
        <translation>The index is being updated by another window</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="357" />
        <source>Lập chỉ mục thất bại: %1</source>
        <translation>Indexing failed: %1</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="389" />
        <source>Chọn thư mục chứa bài báo</source>
        <translation>Choose a folder of articles</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="396" />
        <source>Chưa có thư mục nào trong chỉ mục.</source>
        <translation>No folder is indexed yet.</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="398" />
        <source>Bỏ thư mục</source>
        <translation>Remove folder</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="399" />
        <source>Bỏ thư mục này khỏi chỉ mục:</source>
        <translation>Remove this folder from the index:</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="406" />
        <source>Ngôn ngữ mới có hiệu lực khi mở lại ứng dụng.</source>
        <translation>The new language takes effect when the application is restarted.</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="410" />
        <source>lãnh đạo — bài có cả hai từ (gõ không dấu cũng được: lanh dao)
"đổi mới phương thức" — đúng cụm từ
a OR b, NOT a, -a, ( … ) — hoặc, loại trừ, nhóm
title:… province:"Hải Phòng" source:… author:… year:2022 — tìm theo trường
khảo* — các từ bắt đầu bằng "khảo"</source>
        <translation>lãnh đạo — articles with both words (typing without diacritics works too: lanh dao)
"đổi mới phương thức" — this exact phrase
a OR b, NOT a, -a, ( … ) — either, exclude, group
title:… province:"Hải Phòng" source:… author:… year:2022 — search one field
khảo* — words starting with "khảo"</translation>
    </message>
</context>
<context>
    <name>ReaderPane</name>
    <message>
        <location filename="../reader.py" line="45" />
        <source>Chọn một kết quả để đọc bài báo.</source>
        <translation>Select a result to read the article.</translation>
    </message>
    <message>
        <location filename="../reader.py" line="60" />
        <source>◀ Trước</source>
        <translation>◀ Previous</translation>
    </message>
    <message>
        <location filename="../reader.py" line="62" />
        <source>Chỗ khớp trước (Shift+F3)</source>
        <translation>Previous match (Shift+F3)</translation>
    </message>
    <message>
        <location filename="../reader.py" line="64" />
        <source>Sau ▶</source>
        <translation>Next ▶</translation>
    </message>
    <message>
        <location filename="../reader.py" line="66" />
        <source>Chỗ khớp tiếp theo (F3)</source>
        <translation>Next match (F3)</translation>
    </message>
    <message>
        <location filename="../reader.py" line="68" />
        <source>Mở tệp gốc</source>
        <translation>Open original</translation>
    </message>
    <message>
        <location filename="../reader.py" line="69" />
        <source>Mở tệp gốc bằng ứng dụng mặc định</source>
        <translation>Open the original file with the default application</translation>
    </message>
    <message>
        <location filename="../reader.py" line="71" />
        <source>Chép nội dung</source>
        <translation>Copy text</translation>
    </message>
    <message>
        <location filename="../reader.py" line="73" />
        <source>Chép trích dẫn</source>
        <translation>Copy citation</translation>
    </message>
    <message>
        <location filename="../reader.py" line="181" />
        <source>Ngày</source>
        <translation>Date</translation>
    </message>
    <message>
        <location filename="../reader.py" line="182" />
        <source>Nguồn</source>
        <translation>Source</translation>
    </message>
    <message>
        <location filename="../reader.py" line="183" />
        <source>Tác giả</source>
        <translation>Author</translation>
    </message>
    <message>
        <location filename="../reader.py" line="184" />
        <source>Tỉnh (theo bài)</source>
        <translation>Province (as named)</translation>
    </message>
    <message>
        <location filename="../reader.py" line="185" />
        <source>Tỉnh (sau sáp nhập 2025)</source>
        <translation>Province (after 2025 merger)</translation>
    </message>
    <message>
        <location filename="../reader.py" line="186" />
        <source>Địa bàn</source>
        <translation>Districts</translation>
    </message>
    <message>
        <location filename="../reader.py" line="187" />
        <source>Địa chỉ web</source>
        <translation>Web address</translation>
    </message>
    <message>
        <location filename="../reader.py" line="188" />
        <source>Tệp</source>
        <translation>File</translation>
    </message>
    <message>
        <location filename="../reader.py" line="236" />
        <source>Không có chỗ khớp</source>
        <translation>No matches</translation>
    </message>
    <message>
        <location filename="../reader.py" line="238" />
        <source>Kết quả %1/%2</source>
        <translation>Match %1/%2</translation>
    </message>
</context>
<context>
    <name>ResultsHeader</name>
    <message>
        <location filename="../results.py" line="273" />
        <source>Liên quan nhất</source>
        <translation>Most relevant</translation>
    </message>
    <message>
        <location filename="../results.py" line="274" />
        <source>Mới nhất</source>
        <translation>Newest</translation>
    </message>
    <message>
        <location filename="../results.py" line="275" />
        <source>Cũ nhất</source>
        <translation>Oldest</translation>
    </message>
    <message>
        <location filename="../results.py" line="277" />
        <source>Sắp xếp:</source>
        <translation>Sort:</translation>
    </message>
    <message>
        <location filename="../results.py" line="299" />
        <source>Không thể tìm kiếm</source>
        <translation>The search failed</translation>
    </message>
    <message>
        <location filename="../results.py" line="301" />
        <source>Không tìm thấy kết quả nào</source>
        <translation>No results</translation>
    </message>
    <message numerus="yes">
        <location filename="../results.py" line="306" />
        <source>%Ln kết quả (%1 giây)</source>
        <translation><numerusform>%Ln result (%1 s)</numerusform><numerusform>%Ln results (%1 s)</numerusform></translation>
    </message>
</context>
<context>
    <name>SearchBox</name>
    <message>
        <location filename="../search_box.py" line="27" />
        <source>Tìm trong các bài báo…  (ví dụ: "lãnh đạo" cần thơ)</source>
        <translation>Search the articles…  (e.g. "lãnh đạo" cần thơ)</translation>
    </message>
    <message>
        <location filename="../search_box.py" line="88" />
        <source>Có phải bạn muốn tìm:</source>
        <translation>Did you mean:</translation>
    </message>
</context>
<context>
    <name>StatusBar</name>
    <message>
        <location filename="../status.py" line="57" />
        <source>Huỷ</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../status.py" line="58" />
        <source>Dừng lập chỉ mục</source>
        <translation>Stop indexing</translation>
    </message>
    <message>
        <location filename="../status.py" line="76" />
        <source>Chỉ mục trống</source>
        <translation>Empty index</translation>
    </message>
    <message numerus="yes">
        <location filename="../status.py" line="78" />
        <source>%Ln bài báo</source>
        <translation><numerusform>%Ln article</numerusform><numerusform>%Ln articles</numerusform></translation>
    </message>
    <message>
        <location filename="../status.py" line="81" />
        <source>cập nhật %1</source>
        <translation>updated %1</translation>
    </message>
    <message>
        <location filename="../status.py" line="93" />
        <source>Đang tìm các tệp…</source>
        <translation>Looking for files…</translation>
    </message>
    <message>
        <location filename="../status.py" line="93" />
        <source>Đang ghi chỉ mục…</source>
        <translation>Writing the index…</translation>
    </message>
    <message>
        <location filename="../status.py" line="98" />
        <source>Đang huỷ…</source>
        <translation>Cancelling…</translation>
    </message>
    <message>
        <location filename="../status.py" line="105" />
        <source>Đã huỷ lập chỉ mục.</source>
        <translation>Indexing cancelled.</translation>
    </message>
    <message>
        <location filename="../status.py" line="107" />
        <source>Đã lập chỉ mục: %1 mới, %2 cập nhật, %3 bỏ đi (%4 giây).</source>
        <translation>Indexed: %1 new, %2 updated, %3 removed (%4 s).</translation>
    </message>
    <message numerus="yes">
        <location filename="../status.py" line="112" />
        <source>%Ln tệp lỗi</source>
        <translation><numerusform>%Ln failed file</numerusform><numerusform>%Ln failed files</numerusform></translation>
    </message>
</context>
</TS>