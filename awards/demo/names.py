"""Indonesian (Javanese, Malang-flavoured) vocabulary for the demo data: people, places, products.

Only data lives here; :mod:`awards.demo.generate` composes it with a seeded random generator.
Street and kelurahan names are real places in Kota Malang grouped by kecamatan; house numbers,
RT/RW and every person and business are invented.
"""

from __future__ import annotations

from dataclasses import dataclass

# fmt: off
WOMEN_GIVEN = (
    "Siti", "Dewi", "Sri", "Nur", "Rina", "Wahyuni", "Endang", "Yuli", "Ratna", "Lina", "Dian",
    "Fitri", "Indah", "Ani", "Retno", "Sulastri", "Tutik", "Eka", "Wulan", "Ayu", "Nanik", "Rini",
    "Suci", "Yuni", "Anik", "Lilik", "Umi", "Novi", "Diah", "Puji", "Mega", "Kartini", "Anita",
)
MEN_GIVEN = (
    "Agus", "Bambang", "Budi", "Joko", "Hendra", "Eko", "Slamet", "Heru", "Yoga", "Dimas", "Arif",
    "Rudi", "Wahyu", "Andik", "Teguh", "Sugeng", "Imam", "Fajar", "Rahmat", "Hadi", "Sutrisno",
    "Didik", "Priyo", "Rizal", "Bayu", "Anton", "Nanang", "Yusuf", "Samsul", "Gatot",
)
FAMILY_NAMES = (
    "Santoso", "Wijaya", "Rahayu", "Lestari", "Hidayah", "Susanto", "Prasetyo", "Kurniawan",
    "Setiawan", "Handayani", "Wahyuni", "Purnomo", "Saputra", "Nugroho", "Utomo", "Suryani",
    "Wulandari", "Hartono", "Kusuma", "Firmansyah", "Maulana", "Hakim", "Anggraini", "Safitri",
    "Puspitasari", "Pratiwi", "Sulistyo", "Hariyanto", "Wibowo", "Suprapto", "Rahmawati",
    "Cahyono", "Syahputra", "Yulianti", "Permana", "Ningsih", "Mulyono", "Sasongko",
)
# Honorifics used in business names ("Bakso Cak Man", "Keripik Tempe Bu Sri").
WOMEN_HONORIFICS = ("Bu", "Mbak", "Mbok")
MEN_HONORIFICS = ("Pak", "Cak", "Mas")
# Places and words that give a Malang flavour to business names ("Ngalam" is Malang in walikan).
PLACE_WORDS = (
    "Celaket", "Sukun", "Dinoyo", "Kayutangan", "Arjuno", "Tlogomas", "Sawojajar", "Kawi",
    "Semeru", "Bromo", "Ijen", "Tumpang", "Dampit", "Singosari", "Polowijen", "Sanan", "Jodipan",
    "Panderman", "Kelud", "Brantas", "Tidar", "Ngalam", "Arema", "Tugu", "Oro-oro Dowo",
)
BRAND_WORDS = (
    "Sari Rasa", "Berkah", "Jaya Abadi", "Makmur", "Lestari", "Barokah", "Nusantara", "Mandiri",
    "Sejahtera", "Sumber Rejeki", "Mekar Sari", "Putra", "Sentosa", "Asri", "Citra", "Kencana",
)

# kecamatan -> (streets, kelurahan, postal codes)
DISTRICTS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "Klojen": (
        (
            "Jl. Ijen", "Jl. Kawi", "Jl. Semeru", "Jl. Basuki Rahmat", "Jl. Tangkuban Perahu",
            "Jl. Bromo", "Jl. Kahuripan", "Jl. Mayjen Panjaitan", "Jl. Jaksa Agung Suprapto",
        ),
        (
            "Oro-oro Dowo", "Kauman", "Kiduldalem", "Klojen", "Rampal Celaket", "Samaan",
            "Penanggungan", "Gadingkasri", "Bareng", "Kasin", "Sukoharjo",
        ),
        ("65111", "65112", "65113", "65115", "65116", "65119"),
    ),
    "Blimbing": (
        (
            "Jl. Letjen Sutoyo", "Jl. Ahmad Yani", "Jl. Borobudur", "Jl. LA Sucipto",
            "Jl. Raden Intan", "Jl. Cengger Ayam", "Jl. Teluk Mandar", "Jl. Sanan",
        ),
        (
            "Blimbing", "Polowijen", "Purwodadi", "Arjosari", "Balearjosari", "Pandanwangi",
            "Purwantoro", "Bunulrejo", "Kesatrian", "Polehan", "Jodipan",
        ),
        ("65121", "65122", "65123", "65124", "65125", "65126"),
    ),
    "Kedungkandang": (
        (
            "Jl. Mayjen Sungkono", "Jl. Ki Ageng Gribig", "Jl. Kolonel Sugiono", "Jl. Danau Toba",
            "Jl. Muharto", "Jl. Ranugrati", "Jl. Raya Tlogowaru", "Jl. Danau Kerinci",
        ),
        (
            "Sawojajar", "Madyopuro", "Lesanpuro", "Buring", "Kedungkandang", "Kotalama",
            "Mergosono", "Bumiayu", "Wonokoyo", "Arjowinangun", "Cemorokandang",
        ),
        ("65131", "65132", "65133", "65134", "65135", "65138"),
    ),
    "Sukun": (
        (
            "Jl. S. Supriadi", "Jl. Raya Langsep", "Jl. Mergan Raya", "Jl. Janti", "Jl. Klayatan",
            "Jl. Gadang", "Jl. Bandulan", "Jl. Raya Tidar",
        ),
        (
            "Sukun", "Bandungrejosari", "Ciptomulyo", "Gadang", "Kebonsari", "Bandulan",
            "Tanjungrejo", "Pisang Candi", "Mulyorejo", "Bakalan Krajan", "Karangbesuki",
        ),
        ("65146", "65147", "65148", "65149"),
    ),
    "Lowokwaru": (
        (
            "Jl. Soekarno-Hatta", "Jl. Veteran", "Jl. Gajayana", "Jl. MT Haryono",
            "Jl. Sumbersari", "Jl. Bendungan Sutami", "Jl. Candi Panggung", "Jl. Tlogomas",
            "Jl. Kalpataru",
        ),
        (
            "Dinoyo", "Ketawanggede", "Sumbersari", "Lowokwaru", "Tulusrejo", "Mojolangu",
            "Jatimulyo", "Tunjungsekar", "Tlogomas", "Merjosari", "Tasikmadu",
        ),
        ("65141", "65142", "65143", "65144", "65145"),
    ),
}

# Mobile prefixes of Indonesian operators (after the country code 62).
MOBILE_PREFIXES = (
    "811", "812", "813", "821", "822", "823", "851", "852", "853", "814", "815", "816", "855",
    "856", "857", "858", "817", "818", "819", "859", "877", "878", "895", "896", "897", "898",
    "881", "882", "883",
)


@dataclass(frozen=True, slots=True)
class ProductKind:
    """One kind of product a business makes: the words for its business and product names."""

    category: str  # category slug
    sector: str  # sector key, see SECTORS
    business_word: str  # leads the business name: "Keripik Tempe" -> "Keripik Tempe Bu Sri"
    product: str  # leads the product name: "Keripik Tempe" + variant
    variants: tuple[str, ...]
    material: str  # main material or raw material, Indonesian
    shape: str  # drawing used for generated photos, see awards.demo.images.SHAPES


# The same keys as awards.intake.businesses.identity.DEFAULT_SECTORS.
SECTORS: dict[str, tuple[str, str]] = {
    "kuliner": ("Kuliner (makanan & minuman)", "Food & beverage"),
    "fashion": ("Fashion", "Fashion"),
    "kriya": ("Kriya (kerajinan)", "Crafts"),
    "kreatif-digital": ("Industri kreatif & digital", "Creative & digital industry"),
    "agribisnis": ("Agribisnis & olahan pangan", "Agribusiness & food processing"),
    "jasa": ("Jasa", "Services"),
    "pariwisata": ("Pariwisata", "Tourism"),
}

_K = ProductKind
PRODUCT_KINDS: tuple[ProductKind, ...] = (
    _K(
        "kuliner", "kuliner", "Keripik Tempe", "Keripik Tempe",
        ("Original", "Pedas Daun Jeruk", "Balado", "Rumput Laut"),
        "tempe kedelai", "bag",
    ),
    _K(
        "kuliner", "kuliner", "Bakso", "Bakso Malang Beku",
        ("Komplit", "Urat", "Isi Telur", "Mercon"),
        "daging sapi", "cup",
    ),
    _K(
        "kuliner", "kuliner", "Sambal", "Sambal Bawang",
        ("Original", "Cumi", "Teri", "Ijo"),
        "cabai rawit", "jar",
    ),
    _K(
        "kuliner", "kuliner", "Kue Kering", "Kue Kering",
        ("Nastar", "Kastengel", "Putri Salju", "Lidah Kucing"),
        "mentega dan tepung", "jar",
    ),
    _K(
        "kuliner", "kuliner", "Strudel", "Strudel Apel",
        ("Original", "Keju", "Cokelat"),
        "apel manalagi", "box",
    ),
    _K(
        "kuliner", "kuliner", "Rawon", "Rawon Siap Saji",
        ("Daging", "Iga", "Pedas"),
        "daging sapi dan kluwek", "box",
    ),
    _K(
        "kuliner", "kuliner", "Wedang", "Wedang Jahe",
        ("Merah", "Serai", "Rempah"),
        "jahe merah", "bottle",
    ),
    _K(
        "kuliner", "kuliner", "Jamu", "Jamu Kunyit Asam",
        ("Segar", "Sirih", "Beras Kencur"),
        "kunyit", "bottle",
    ),
    _K(
        "kuliner", "kuliner", "Brownies", "Brownies Tempe",
        ("Cokelat", "Pandan", "Keju"),
        "tepung tempe", "box",
    ),
    _K(
        "kuliner", "kuliner", "Kopi", "Kopi Susu Gula Aren",
        ("Literan", "Botol", "Kaleng"),
        "kopi robusta", "cup",
    ),
    _K(
        "fashion-kriya", "fashion", "Batik", "Batik Malangan",
        ("Tulis Teratai", "Cap Topeng", "Kombinasi Tugu"),
        "kain katun primisima", "fabric",
    ),
    _K(
        "fashion-kriya", "fashion", "Daster Bordir", "Daster Bordir",
        ("Kancing Depan", "Jumbo", "Lengan Pendek"),
        "kain rayon", "fabric",
    ),
    _K(
        "fashion-kriya", "fashion", "Mukena", "Mukena Bordir",
        ("Katun Jepang", "Traveling", "Anak"),
        "kain katun", "fabric",
    ),
    _K(
        "fashion-kriya", "fashion", "Rajut", "Tas Rajut",
        ("Selempang", "Tote", "Dompet"),
        "benang katun", "bag",
    ),
    _K(
        "fashion-kriya", "kriya", "Kerajinan Topeng", "Topeng Malangan",
        ("Panji", "Klana", "Gunungsari"),
        "kayu sengon", "mask",
    ),
    _K(
        "fashion-kriya", "kriya", "Keramik", "Keramik Dinoyo",
        ("Vas Bunga", "Cangkir", "Guci Mini"),
        "tanah liat", "jar",
    ),
    _K(
        "fashion-kriya", "kriya", "Anyaman", "Keranjang Anyaman",
        ("Pandan", "Bambu", "Eceng Gondok"),
        "bambu apus", "bag",
    ),
    _K(
        "fashion-kriya", "fashion", "Sepatu Kulit", "Sepatu Kulit",
        ("Pantofel", "Boots", "Sneakers"),
        "kulit sapi", "box",
    ),
    _K(
        "kreatif-digital", "kreatif-digital", "Studio Desain", "Jasa Desain Kemasan",
        ("UMKM", "Premium", "Ekspor"),
        "perangkat lunak desain", "screen",
    ),
    _K(
        "kreatif-digital", "kreatif-digital", "Aplikasi", "Aplikasi Kasir Warung",
        ("Android", "Web", "Offline"),
        "perangkat lunak", "screen",
    ),
    _K(
        "kreatif-digital", "kreatif-digital", "Game Studio", "Game Edukasi Aksara Jawa",
        ("Anak", "Sekolah", "Keluarga"),
        "perangkat lunak", "screen",
    ),
    _K(
        "kreatif-digital", "kreatif-digital", "Studio Animasi", "Animasi Promosi",
        ("2D", "Motion Graphic", "Stop Motion"),
        "ilustrasi digital", "screen",
    ),
    _K(
        "kreatif-digital", "kreatif-digital", "Ilustrasi", "Stiker Ilustrasi",
        ("Arema", "Kayutangan", "Topeng Malangan"),
        "kertas vinyl", "box",
    ),
    _K(
        "kreatif-digital", "kreatif-digital", "Undangan Digital", "Undangan Digital",
        ("Pernikahan", "Khitanan", "Ulang Tahun"),
        "templat web", "screen",
    ),
    _K(
        "agribisnis", "agribisnis", "Apel Batu", "Apel Segar",
        ("Manalagi", "Anna", "Rome Beauty"),
        "apel", "fruit",
    ),
    _K(
        "agribisnis", "agribisnis", "Sari Buah", "Sari Apel",
        ("Original", "Madu", "Tanpa Gula"),
        "apel manalagi", "bottle",
    ),
    _K(
        "agribisnis", "agribisnis", "Kopi Dampit", "Kopi Bubuk",
        ("Robusta", "Arabika", "Luwak"),
        "biji kopi", "bag",
    ),
    _K(
        "agribisnis", "agribisnis", "Madu", "Madu Hutan",
        ("Kaliandra", "Randu", "Kelengkeng"),
        "madu lebah", "jar",
    ),
    _K(
        "agribisnis", "agribisnis", "Jamur", "Jamur Tiram",
        ("Segar", "Krispi", "Kering"),
        "jamur tiram", "bag",
    ),
    _K(
        "agribisnis", "agribisnis", "Tempe Sanan", "Tempe Kedelai",
        ("Daun Pisang", "Plastik", "Mendoan"),
        "kedelai", "box",
    ),
    _K(
        "agribisnis", "agribisnis", "Hidroponik", "Sayur Hidroponik",
        ("Selada", "Pakcoy", "Kangkung"),
        "benih sayur", "fruit",
    ),
    _K(
        "agribisnis", "agribisnis", "Keripik Buah", "Keripik Nangka",
        ("Original", "Madu", "Campur"),
        "nangka", "bag",
    ),
    _K(
        "agribisnis", "agribisnis", "Susu Kambing", "Susu Kambing Etawa",
        ("Bubuk", "Pasteurisasi", "Kefir"),
        "susu kambing", "bottle",
    ),
    _K(
        "jasa-pariwisata", "pariwisata", "Homestay", "Paket Menginap",
        ("Keluarga", "Backpacker", "Akhir Pekan"),
        "kamar tamu", "box",
    ),
    _K(
        "jasa-pariwisata", "pariwisata", "Wisata", "Tur Kampung Warna-warni",
        ("Setengah Hari", "Sehari", "Malam"),
        "pemandu lokal", "box",
    ),
    _K(
        "jasa-pariwisata", "pariwisata", "Heritage Walk", "Jelajah Kayutangan Heritage",
        ("Pagi", "Sore", "Fotografi"),
        "pemandu lokal", "screen",
    ),
    _K(
        "jasa-pariwisata", "jasa", "Laundry", "Laundry Kiloan",
        ("Reguler", "Kilat", "Setrika"),
        "deterjen ramah lingkungan", "box",
    ),
    _K(
        "jasa-pariwisata", "jasa", "Salon", "Perawatan Rambut",
        ("Creambath", "Potong", "Paket Pengantin"),
        "produk perawatan", "bottle",
    ),
    _K(
        "jasa-pariwisata", "jasa", "Katering", "Katering Harian",
        ("Kantor", "Nasi Kotak", "Tumpeng"),
        "bahan segar pasar lokal", "box",
    ),
    _K(
        "jasa-pariwisata", "jasa", "Kursus Menjahit", "Kelas Menjahit",
        ("Dasar", "Busana Muslim", "Privat"),
        "mesin jahit", "fabric",
    ),
    _K(
        "jasa-pariwisata", "pariwisata", "Kafe", "Kedai Kopi",
        ("Kopi Tubruk", "Susu Jahe", "Kopi Arjuno"),
        "kopi lokal", "cup",
    ),
)

# Description building blocks, Indonesian. Placeholders: product, material, business, district,
# year, market, channels.
INTRO_SENTENCES = (
    "{product} dibuat oleh {business} sejak {year} dengan bahan utama {material}.",
    "{business} memproduksi {product} di Kecamatan {district}, Kota Malang, sejak tahun {year}.",
    "{product} adalah produk unggulan {business} yang diolah dari {material} pilihan.",
    "Berawal dari usaha rumahan pada {year}, {business} kini dikenal lewat {product}.",
)
QUALITY_SENTENCES = (
    "Setiap batch diperiksa sebelum dikemas: bahan, kebersihan alat dan hasil akhir dicatat.",
    "Kami memakai standar operasional sederhana agar rasa dan mutu tetap sama dari waktu ke waktu.",
    "Kontrol kualitas dilakukan dua kali, saat produksi dan sebelum pengiriman.",
    "Bahan baku dibeli dari pemasok tetap di sekitar Malang supaya mutunya terjaga.",
    "Kami mencatat keluhan pelanggan dan memperbaiki proses setiap bulan.",
)
PACKAGING_SENTENCES = (
    "Kemasan baru memakai label dengan komposisi, tanggal produksi dan kode batch.",
    "Kemasan dirancang bersama desainer lokal agar menarik di rak toko oleh-oleh.",
    "Kami beralih ke kemasan yang bisa didaur ulang dan lebih kuat untuk pengiriman jauh.",
    "Label produk tersedia dalam bahasa Indonesia dan Inggris.",
)
# For services and digital products (Jasa & Pariwisata, Industri Kreatif & Digital).
SERVICE_INTRO_SENTENCES = (
    "{business} menawarkan {product} di Kecamatan {district}, Kota Malang, sejak {year}.",
    "{product} adalah layanan unggulan {business} yang dirintis pada {year}.",
    "Sejak {year}, {business} melayani pelanggan lewat {product}.",
)
SERVICE_QUALITY_SENTENCES = (
    "Setiap pekerjaan diperiksa dengan daftar periksa sebelum diserahkan kepada pelanggan.",
    "Kami meminta penilaian pelanggan setelah setiap layanan dan memperbaiki proses tiap bulan.",
    "Standar layanan ditulis dan dilatihkan kepada setiap anggota tim.",
)
SERVICE_PACKAGING_SENTENCES = (
    "Paket layanan dan harga dijelaskan dengan jelas di brosur dan media sosial.",
    "Identitas merek, dari logo hingga seragam, dirancang bersama desainer lokal.",
    "Portofolio dan testimoni pelanggan tersedia dalam bahasa Indonesia dan Inggris.",
)
MARKET_SENTENCES = (
    "Saat ini {product} dipasarkan ke {market} melalui {channels}.",
    "Pembeli kami datang dari {market}, sebagian besar lewat {channels}.",
    "Penjualan terbesar masih di {market}, dan kami mulai menjajaki pasar yang lebih luas.",
)
AIM_SENTENCES = (
    "Target kami tahun depan adalah naik kelas dan menambah tenaga kerja dari lingkungan sekitar.",
    "Kami ingin menembus pasar nasional bahkan ekspor dengan produk yang murah tetapi berkualitas.",
    "Pencatatan keuangan kini terpisah dari keuangan keluarga, dibantu pendampingan Pemkot Malang.",
    "Kami siap mengikuti pendampingan akademisi dan pelaku kreatif untuk memperbaiki produk.",
)
MARKET_PHRASES = {
    "kota_malang": "Kota Malang",
    "jawa_timur": "berbagai kota di Jawa Timur",
    "nasional": "seluruh Indonesia",
    "ekspor": "Malaysia dan Singapura",
}

CHANNEL_PHRASES = {
    "toko_offline": "toko offline",
    "marketplace": "marketplace",
    "media_sosial": "media sosial",
    "reseller": "reseller",
    "ekspor": "mitra ekspor",
}

INELIGIBLE_REASONS = (
    "NIB tidak aktif atau tidak sesuai dengan nama usaha yang didaftarkan.",
    "Produk yang sama sudah didaftarkan pada kategori lain tahun ini.",
    "Foto produk tidak menunjukkan produk yang didaftarkan.",
    "Izin edar P-IRT yang dicantumkan sudah kedaluwarsa.",
    "Data modal dan omzet tidak dapat diverifikasi setelah dihubungi panitia.",
)
# fmt: on
