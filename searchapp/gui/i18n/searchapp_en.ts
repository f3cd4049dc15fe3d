<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US" sourcelanguage="vi_VN">
<context>
    <name>ChipBar</name>
    <message>
        <location filename="../facets.py" line="290"/>
        <source>Xoá tất cả</source>
        <translation>Clear all</translation>
    </message>
    <message>
        <location filename="../facets.py" line="304"/>
        <source>Bỏ bộ lọc này</source>
        <translation>Remove this filter</translation>
    </message>
    <message>
        <location filename="../facets.py" line="317"/>
        <source>từ %1</source>
        <translation>from %1</translation>
    </message>
    <message>
        <location filename="../facets.py" line="317"/>
        <source>đến %1</source>
        <translation>until %1</translation>
    </message>
</context>
<context>
    <name>Completer</name>
    <message numerus="yes">
        <location filename="../completer.py" line="113"/>
        <source>Cụm từ trong %n tiêu đề</source>
        <translation>
            <numerusform>A phrase in %n title</numerusform>
            <numerusform>A phrase in %n titles</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../completer.py" line="115"/>
        <source>Có trong %n bài</source>
        <translation>
            <numerusform>In %n article</numerusform>
            <numerusform>In %n articles</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CompletionList</name>
    <message>
        <location filename="../completer.py" line="52"/>
        <source>Gợi ý hoàn thành</source>
        <translation>Completions</translation>
    </message>
</context>
<context>
    <name>DateField</name>
    <message>
        <location filename="../timeline.py" line="239"/>
        <source>ngày/tháng/năm</source>
        <translation>dd/mm/yyyy</translation>
    </message>
    <message>
        <location filename="../timeline.py" line="246"/>
        <source>Chọn trên lịch</source>
        <translation>Pick on a calendar</translation>
    </message>
</context>
<context>
    <name>Exporter</name>
    <message>
        <location filename="../export.py" line="105"/>
        <location filename="../export.py" line="146"/>
        <source>Xuất kết quả</source>
        <translation>Export results</translation>
    </message>
    <message>
        <location filename="../export.py" line="127"/>
        <source>Đang xuất kết quả vào %1…</source>
        <translation>Exporting results to %1…</translation>
    </message>
    <message numerus="yes">
        <location filename="../export.py" line="132"/>
        <source>Đã xuất %Ln bài vào %1</source>
        <translation>
            <numerusform>Exported %Ln article to %1</numerusform>
            <numerusform>Exported %Ln articles to %1</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../export.py" line="143"/>
        <source>Không xuất được kết quả vào %1: %2</source>
        <translation>Could not export the results to %1: %2</translation>
    </message>
    <message>
        <location filename="../export.py" line="158"/>
        <source>thư mục không tồn tại</source>
        <translation>the folder does not exist</translation>
    </message>
    <message>
        <location filename="../export.py" line="159"/>
        <location filename="../export.py" line="160"/>
        <source>không có quyền ghi vào đó</source>
        <translation>no permission to write there</translation>
    </message>
    <message>
        <location filename="../export.py" line="161"/>
        <source>ổ đĩa chỉ đọc</source>
        <translation>the disk is read-only</translation>
    </message>
    <message>
        <location filename="../export.py" line="162"/>
        <source>ổ đĩa đã đầy</source>
        <translation>the disk is full</translation>
    </message>
    <message>
        <location filename="../export.py" line="163"/>
        <source>đã có một thư mục trùng tên</source>
        <translation>a folder of that name is there</translation>
    </message>
</context>
<context>
    <name>FacetPanel</name>
    <message>
        <location filename="../facets.py" line="153"/>
        <source>Tỉnh theo tên trong bài</source>
        <translation>Province as named in the article</translation>
    </message>
    <message>
        <location filename="../facets.py" line="154"/>
        <source>Tỉnh sau sáp nhập 2025</source>
        <translation>Province after the 2025 merger</translation>
    </message>
    <message>
        <location filename="../facets.py" line="155"/>
        <source>Tỉnh, thành như bài báo gọi (trước tháng 7/2025)</source>
        <translation>The province as the article names it (before July 2025)</translation>
    </message>
    <message>
        <location filename="../facets.py" line="156"/>
        <source>Tỉnh, thành mà nơi đó thuộc về sau sáp nhập tháng 7/2025</source>
        <translation>The province the place belongs to since the July 2025 merger</translation>
    </message>
    <message>
        <location filename="../facets.py" line="164"/>
        <source>Tỉnh, thành</source>
        <translation>Province</translation>
    </message>
    <message>
        <location filename="../facets.py" line="164"/>
        <source>Nguồn</source>
        <translation>Source</translation>
    </message>
    <message>
        <location filename="../facets.py" line="164"/>
        <source>Năm</source>
        <translation>Year</translation>
    </message>
    <message>
        <location filename="../facets.py" line="168"/>
        <source>Bản đồ</source>
        <translation>Map</translation>
    </message>
</context>
<context>
    <name>FailedFilesDialog</name>
    <message>
        <location filename="../status.py" line="31"/>
        <source>Tệp không đọc được</source>
        <translation>Files that could not be read</translation>
    </message>
    <message>
        <location filename="../status.py" line="33"/>
        <source>Tệp</source>
        <translation>File</translation>
    </message>
    <message>
        <location filename="../status.py" line="33"/>
        <source>Lý do</source>
        <translation>Reason</translation>
    </message>
</context>
<context>
    <name>FoldersDialog</name>
    <message>
        <location filename="../folders.py" line="34"/>
        <source>Các thư mục đã lập chỉ mục</source>
        <translation>Indexed folders</translation>
    </message>
    <message>
        <location filename="../folders.py" line="39"/>
        <source>Thư mục</source>
        <translation>Folder</translation>
    </message>
    <message>
        <location filename="../folders.py" line="39"/>
        <source>Số bài</source>
        <translation>Articles</translation>
    </message>
    <message>
        <location filename="../folders.py" line="39"/>
        <source>Trạng thái</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../folders.py" line="47"/>
        <source>Thêm thư mục…</source>
        <translation>Add folder…</translation>
    </message>
    <message>
        <location filename="../folders.py" line="50"/>
        <source>Bỏ thư mục…</source>
        <translation>Remove folder…</translation>
    </message>
    <message>
        <location filename="../folders.py" line="53"/>
        <source>Đóng</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../folders.py" line="78"/>
        <source>Sẵn sàng</source>
        <translation>Ready</translation>
    </message>
    <message>
        <location filename="../folders.py" line="78"/>
        <source>Không truy cập được</source>
        <translation>Not accessible</translation>
    </message>
    <message>
        <location filename="../folders.py" line="80"/>
        <source>Ổ đĩa hoặc thư mục mạng không truy cập được: các bài của nó vẫn được giữ trong chỉ mục và vẫn tìm được.</source>
        <translation>The drive or network folder cannot be reached: its articles are kept in the index and can still be found.</translation>
    </message>
    <message>
        <location filename="../folders.py" line="95"/>
        <location filename="../folders.py" line="100"/>
        <source>Bỏ thư mục</source>
        <translation>Remove folder</translation>
    </message>
    <message>
        <location filename="../folders.py" line="96"/>
        <source>Bỏ thư mục “%1” khỏi chỉ mục?</source>
        <translation>Remove the folder “%1” from the index?</translation>
    </message>
    <message numerus="yes">
        <location filename="../folders.py" line="99"/>
        <source>%Ln bài báo sẽ bị xoá khỏi chỉ mục. Các tệp trên đĩa không bị xoá.</source>
        <translation>
            <numerusform>%Ln article will be removed from the index. The files on disk are not deleted.</numerusform>
            <numerusform>%Ln articles will be removed from the index. The files on disk are not deleted.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../folders.py" line="102"/>
        <source>Giữ lại</source>
        <translation>Keep</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../main_window.py" line="118"/>
        <source>Tìm kiếm bài báo</source>
        <translation>Article search</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="170"/>
        <source>&amp;Tệp</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="171"/>
        <source>Thêm thư mục…</source>
        <translation>Add folder…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="174"/>
        <source>Các thư mục đã lập chỉ mục…</source>
        <translation>Indexed folders…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="177"/>
        <source>Cập nhật chỉ mục</source>
        <translation>Update index</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="180"/>
        <source>Lập lại chỉ mục từ đầu</source>
        <translation>Rebuild index from scratch</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="185"/>
        <source>Xuất kết quả…</source>
        <translation>Export results…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="190"/>
        <source>Thoát</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="194"/>
        <source>&amp;Xem</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="195"/>
        <source>Ngôn ngữ</source>
        <translation>Language</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="206"/>
        <source>Trợ &amp;giúp</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="207"/>
        <location filename="../main_window.py" line="628"/>
        <source>Cú pháp tìm kiếm</source>
        <translation>Search syntax</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="365"/>
        <source>Chỉ mục chưa có bài nào</source>
        <translation>The index is empty</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="441"/>
        <source>Bài này không còn trong chỉ mục.</source>
        <translation>This article is no longer in the index.</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="488"/>
        <source>Đang lập chỉ mục…</source>
        <translation>Indexing…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="532"/>
        <source>Chỉ mục đang được cập nhật bởi một cửa sổ khác</source>
        <translation>The index is being updated by another window</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="543"/>
        <source>Lập chỉ mục thất bại: %1</source>
        <translation>Indexing failed: %1</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="608"/>
        <source>Chọn thư mục chứa bài báo</source>
        <translation>Choose a folder of articles</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="625"/>
        <source>Ngôn ngữ mới có hiệu lực khi mở lại ứng dụng.</source>
        <translation>The new language takes effect when the application is restarted.</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="629"/>
        <source>lãnh đạo — bài có cả hai từ (gõ không dấu cũng được: lanh dao)
&quot;đổi mới phương thức&quot; — đúng cụm từ
a OR b, NOT a, -a, ( … ) — hoặc, loại trừ, nhóm
title:… province:&quot;Hải Phòng&quot; source:… author:… year:2022 — tìm theo trường
khảo* — các từ bắt đầu bằng &quot;khảo&quot;</source>
        <translation>lãnh đạo — articles with both words (typing without diacritics works too: lanh dao)
&quot;đổi mới phương thức&quot; — this exact phrase
a OR b, NOT a, -a, ( … ) — either, exclude, group
title:… province:&quot;Hải Phòng&quot; source:… author:… year:2022 — search one field
khảo* — words starting with &quot;khảo&quot;</translation>
    </message>
</context>
<context>
    <name>ProvinceMap</name>
    <message>
        <location filename="../map.py" line="323"/>
        <source>%1: %2 bài</source>
        <translation>%1: %2 articles</translation>
    </message>
    <message>
        <location filename="../map.py" line="326"/>
        <source>Đặc khu %1 (%2)</source>
        <translation>%1 special zone (%2)</translation>
    </message>
    <message>
        <location filename="../map.py" line="330"/>
        <source>Gồm: %1</source>
        <translation>Made of: %1</translation>
    </message>
    <message>
        <location filename="../map.py" line="332"/>
        <source>Đang lọc theo tỉnh này (bấm để bỏ)</source>
        <translation>Filtering by this province (click to remove)</translation>
    </message>
    <message>
        <location filename="../map.py" line="334"/>
        <source>Bấm để lọc theo tỉnh này</source>
        <translation>Click to filter by this province</translation>
    </message>
    <message>
        <location filename="../map.py" line="466"/>
        <source>QĐ %1</source>
        <translation>%1 Islands</translation>
    </message>
    <message>
        <location filename="../map.py" line="480"/>
        <source>Số bài theo tỉnh:</source>
        <translation>Articles per province:</translation>
    </message>
</context>
<context>
    <name>ReaderPane</name>
    <message>
        <location filename="../reader.py" line="54"/>
        <source>Chọn một kết quả để đọc bài báo.</source>
        <translation>Select a result to read the article.</translation>
    </message>
    <message>
        <location filename="../reader.py" line="69"/>
        <source>◀ Trước</source>
        <translation>◀ Previous</translation>
    </message>
    <message>
        <location filename="../reader.py" line="71"/>
        <source>Chỗ khớp trước (Shift+F3)</source>
        <translation>Previous match (Shift+F3)</translation>
    </message>
    <message>
        <location filename="../reader.py" line="73"/>
        <source>Sau ▶</source>
        <translation>Next ▶</translation>
    </message>
    <message>
        <location filename="../reader.py" line="75"/>
        <source>Chỗ khớp tiếp theo (F3)</source>
        <translation>Next match (F3)</translation>
    </message>
    <message>
        <location filename="../reader.py" line="77"/>
        <source>Mở tệp gốc</source>
        <translation>Open original</translation>
    </message>
    <message>
        <location filename="../reader.py" line="78"/>
        <source>Mở tệp gốc bằng ứng dụng mặc định</source>
        <translation>Open the original file with the default application</translation>
    </message>
    <message>
        <location filename="../reader.py" line="80"/>
        <source>Chép nội dung</source>
        <translation>Copy text</translation>
    </message>
    <message>
        <location filename="../reader.py" line="82"/>
        <source>Chép trích dẫn</source>
        <translation>Copy citation</translation>
    </message>
    <message>
        <location filename="../reader.py" line="193"/>
        <source>Không truy cập được tệp gốc (ổ đĩa đã rút hoặc thư mục mạng không truy cập được): đang hiện bản lưu trong chỉ mục.</source>
        <translation>The original file cannot be reached (drive unplugged or network folder down): showing the copy stored in the index.</translation>
    </message>
    <message>
        <location filename="../reader.py" line="209"/>
        <source>Ngày</source>
        <translation>Date</translation>
    </message>
    <message>
        <location filename="../reader.py" line="210"/>
        <source>Nguồn</source>
        <translation>Source</translation>
    </message>
    <message>
        <location filename="../reader.py" line="211"/>
        <source>Tác giả</source>
        <translation>Author</translation>
    </message>
    <message>
        <location filename="../reader.py" line="212"/>
        <source>Tỉnh (theo bài)</source>
        <translation>Province (as named)</translation>
    </message>
    <message>
        <location filename="../reader.py" line="213"/>
        <source>Tỉnh (sau sáp nhập 2025)</source>
        <translation>Province (after 2025 merger)</translation>
    </message>
    <message>
        <location filename="../reader.py" line="214"/>
        <source>Địa bàn</source>
        <translation>Districts</translation>
    </message>
    <message>
        <location filename="../reader.py" line="215"/>
        <source>Địa chỉ web</source>
        <translation>Web address</translation>
    </message>
    <message>
        <location filename="../reader.py" line="216"/>
        <source>Số trang</source>
        <translation>Pages</translation>
    </message>
    <message>
        <location filename="../reader.py" line="217"/>
        <source>Tệp</source>
        <translation>File</translation>
    </message>
    <message>
        <location filename="../reader.py" line="267"/>
        <source>Không có chỗ khớp</source>
        <translation>No matches</translation>
    </message>
    <message>
        <location filename="../reader.py" line="269"/>
        <source>Chỗ khớp %1/%2</source>
        <translation>Match %1 of %2</translation>
    </message>
    <message>
        <location filename="../reader.py" line="272"/>
        <source>trang %1</source>
        <translation>page %1</translation>
    </message>
</context>
<context>
    <name>ResultDelegate</name>
    <message numerus="yes">
        <location filename="../results.py" line="279"/>
        <source>%n bản tương tự</source>
        <translation>
            <numerusform>%n similar copy</numerusform>
            <numerusform>%n similar copies</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ResultRow</name>
    <message>
        <location filename="../results.py" line="291"/>
        <source>không truy cập được</source>
        <translation>not accessible</translation>
    </message>
    <message>
        <location filename="../results.py" line="296"/>
        <source>trang %1</source>
        <translation>page %1</translation>
    </message>
</context>
<context>
    <name>ResultsHeader</name>
    <message>
        <location filename="../results.py" line="473"/>
        <source>Liên quan nhất</source>
        <translation>Most relevant</translation>
    </message>
    <message>
        <location filename="../results.py" line="474"/>
        <source>Mới nhất</source>
        <translation>Newest</translation>
    </message>
    <message>
        <location filename="../results.py" line="475"/>
        <source>Cũ nhất</source>
        <translation>Oldest</translation>
    </message>
    <message>
        <location filename="../results.py" line="477"/>
        <source>Sắp xếp:</source>
        <translation>Sort:</translation>
    </message>
    <message>
        <location filename="../results.py" line="505"/>
        <source>Đang lập chỉ mục… chưa có kết quả</source>
        <translation>Indexing… no results yet</translation>
    </message>
    <message>
        <location filename="../results.py" line="507"/>
        <source>(%1/%2 tệp)</source>
        <translation>(%1/%2 files)</translation>
    </message>
    <message>
        <location filename="../results.py" line="513"/>
        <source>Không thể tìm kiếm</source>
        <translation>The search failed</translation>
    </message>
    <message>
        <location filename="../results.py" line="515"/>
        <source>Không tìm thấy kết quả nào</source>
        <translation>No results</translation>
    </message>
    <message numerus="yes">
        <location filename="../results.py" line="521"/>
        <source>%Ln kết quả (%1 giây)</source>
        <translation>
            <numerusform>%Ln result (%1 s)</numerusform>
            <numerusform>%Ln results (%1 s)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SearchBox</name>
    <message>
        <location filename="../search_box.py" line="39"/>
        <source>Tìm trong các bài báo…  (ví dụ: &quot;lãnh đạo&quot; cần thơ)</source>
        <translation>Search the articles…  (e.g. &quot;lãnh đạo&quot; cần thơ)</translation>
    </message>
    <message>
        <location filename="../search_box.py" line="105"/>
        <source>Có phải bạn muốn tìm:</source>
        <translation>Did you mean:</translation>
    </message>
    <message>
        <location filename="../search_box.py" line="121"/>
        <source>Tìm chính xác</source>
        <translation>Search exactly for</translation>
    </message>
</context>
<context>
    <name>StatusBar</name>
    <message>
        <location filename="../status.py" line="65"/>
        <source>Tìm kiếm đã dùng được; xong bước này sẽ nhanh hơn.</source>
        <translation>Searching already works; it gets faster once this is done.</translation>
    </message>
    <message>
        <location filename="../status.py" line="77"/>
        <source>Huỷ</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../status.py" line="78"/>
        <source>Dừng lập chỉ mục</source>
        <translation>Stop indexing</translation>
    </message>
    <message>
        <location filename="../status.py" line="98"/>
        <source>Chỉ mục trống</source>
        <translation>Empty index</translation>
    </message>
    <message numerus="yes">
        <location filename="../status.py" line="100"/>
        <source>%Ln bài báo</source>
        <translation>
            <numerusform>%Ln article</numerusform>
            <numerusform>%Ln articles</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../status.py" line="103"/>
        <source>cập nhật %1</source>
        <translation>updated %1</translation>
    </message>
    <message>
        <location filename="../status.py" line="113"/>
        <source>%1 · trang %2/%3</source>
        <translation>%1 · page %2/%3</translation>
    </message>
    <message>
        <location filename="../status.py" line="119"/>
        <source>Đang tìm các tệp…</source>
        <translation>Looking for files…</translation>
    </message>
    <message>
        <location filename="../status.py" line="119"/>
        <source>Đang ghi chỉ mục…</source>
        <translation>Writing the index…</translation>
    </message>
    <message>
        <location filename="../status.py" line="125"/>
        <source>Đang nạp trước chỉ mục… %1%</source>
        <translation>Preloading the index… %1%</translation>
    </message>
    <message>
        <location filename="../status.py" line="133"/>
        <source>Đang huỷ…</source>
        <translation>Cancelling…</translation>
    </message>
    <message>
        <location filename="../status.py" line="140"/>
        <source>Đã huỷ lập chỉ mục.</source>
        <translation>Indexing cancelled.</translation>
    </message>
    <message>
        <location filename="../status.py" line="142"/>
        <source>Đã lập chỉ mục: %1 mới, %2 cập nhật, %3 bỏ đi (%4 giây).</source>
        <translation>Indexed: %1 new, %2 updated, %3 removed (%4 s).</translation>
    </message>
    <message numerus="yes">
        <location filename="../status.py" line="147"/>
        <source>%Ln thư mục không truy cập được, vẫn giữ %1 bài của chúng.</source>
        <translation>
            <numerusform>%Ln folder not accessible, its %1 articles kept.</numerusform>
            <numerusform>%Ln folders not accessible, their %1 articles kept.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../status.py" line="157"/>
        <source>Đã cập nhật %Ln tệp thay đổi trong thư mục.</source>
        <translation>
            <numerusform>Updated %Ln changed file in the folders.</numerusform>
            <numerusform>Updated %Ln changed files in the folders.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../status.py" line="163"/>
        <source>%Ln tệp lỗi</source>
        <translation>
            <numerusform>%Ln failed file</numerusform>
            <numerusform>%Ln failed files</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TimelineChart</name>
    <message>
        <location filename="../timeline.py" line="167"/>
        <source>%1: %2 bài</source>
        <translation>%1: %2 articles</translation>
    </message>
    <message>
        <location filename="../timeline.py" line="168"/>
        <source>Kéo để chọn khoảng ngày</source>
        <translation>Drag to select a date range</translation>
    </message>
    <message>
        <location filename="../timeline.py" line="182"/>
        <source>Các bài tìm được không có ngày đăng</source>
        <translation>The articles found have no publication date</translation>
    </message>
</context>
<context>
    <name>TimelinePanel</name>
    <message>
        <location filename="../timeline.py" line="331"/>
        <source>Bài đăng từ ngày này (để trống: không giới hạn)</source>
        <translation>Articles published on or after this day (empty: no limit)</translation>
    </message>
    <message>
        <location filename="../timeline.py" line="332"/>
        <source>Bài đăng đến hết ngày này (để trống: không giới hạn)</source>
        <translation>Articles published up to the end of this day (empty: no limit)</translation>
    </message>
    <message>
        <location filename="../timeline.py" line="335"/>
        <source>Từ ngày</source>
        <translation>From</translation>
    </message>
    <message>
        <location filename="../timeline.py" line="337"/>
        <source>Đến ngày</source>
        <translation>To</translation>
    </message>
</context>
</TS>
