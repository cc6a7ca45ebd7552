namespace GenSR.Core;

/// <summary>The fixed vocabulary of the demo shop: a three-level category tree, brands and name parts.</summary>
internal static class DemoCatalogBlueprint
{
    private static readonly string[] None = [];

    /// <summary>Brands (or publishers) per department.</summary>
    public static IReadOnlyDictionary<string, string[]> BrandsByDepartment { get; } = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["Electronics"] = ["Acme", "Voltra", "Nordik", "Sonara", "Kestrel", "Zentek"],
        ["Home & Kitchen"] = ["Casabella", "Brewmaster", "Hearthstone", "Kitchenly", "Dormio"],
        ["Sports & Outdoors"] = ["Trailpeak", "Stridewell", "Velocita", "Summit Gear", "Aquaflow"],
        ["Books"] = ["Lantern Press", "Meridian Books", "Quill House", "Northwind Publishing"],
        ["Toys & Games"] = ["Playforge", "Brickworks", "Meeple & Co", "Tabletop Titans"],
    };

    /// <summary>Product-line name parts: a line is a prefix and a suffix, e.g. <c>NovaWave</c>.</summary>
    public static string[] LinePrefixes { get; } = ["Air", "Nova", "Flex", "Core", "Edge", "Pulse", "Zen", "Terra", "Swift", "Aero", "Lumo", "Vita"];

    /// <summary>See <see cref="LinePrefixes"/>.</summary>
    public static string[] LineSuffixes { get; } = ["Beat", "Line", "Wave", "One", "Lite", "Go", "Max", "Pro", "Sense", "Form"];

    /// <summary>Series name parts of novels, per leaf name: adjectives, then nouns.</summary>
    public static IReadOnlyDictionary<string, (string[] Adjectives, string[] Nouns)> SeriesWords { get; } =
        new Dictionary<string, (string[], string[])>(StringComparer.Ordinal)
    {
        ["Science Fiction"] = (["Nebula", "Quantum", "Starfall", "Iron", "Void", "Solar"], ["Protocol", "Horizon", "Drift", "Empire", "Signal", "Frontier"]),
        ["Mystery"] = (["Silent", "Crimson", "Hollow", "Midnight", "Grey", "Broken"], ["Harbour", "Witness", "Lantern", "Alibi", "Key", "Orchard"]),
        ["Fantasy"] = (["Ember", "Thorn", "Silver", "Shadow", "Winter", "Storm"], ["Crown", "Throne", "Oath", "Forest", "Blade", "Tower"]),
    };

    /// <summary>Board-game name parts: adjectives, nouns, and expansion subtitles.</summary>
    public static (string[] Adjectives, string[] Nouns, string[] Expansions) GameWords { get; } = (
        ["Ancient", "Galactic", "Lost", "Royal", "Sunken", "Northern"],
        ["Empires", "Harbours", "Kingdoms", "Frontiers", "Dynasties", "Railways"],
        ["Seafarers", "Age of Steam", "Frozen North", "Merchants", "Dragons", "Explorers"]);

    /// <summary>The leaves of the category tree (department &gt; group &gt; leaf).</summary>
    public static IReadOnlyList<DemoLeaf> Leaves { get; } =
    [
        Product("Electronics", "Audio", "Headphones", "Headphones", ["headphones"],
            ["Wireless", "Noise-Cancelling", "Over-Ear", "On-Ear", "Studio", "Foldable"], ["Black", "White", "Silver", "Navy"], 90, 1.2, None),
        Product("Electronics", "Audio", "Earbuds", "Earbuds", ["earbuds", "wireless earbuds"], ["True Wireless", "Sport", "Noise-Cancelling", "Waterproof"],
            ["Black", "White", "Graphite"], 60, 1.2, None),
        Product("Electronics", "Audio", "Bluetooth Speakers", "Bluetooth Speaker", ["bluetooth speaker", "speaker"],
            ["Portable", "Waterproof", "Smart", "Outdoor"], ["Black", "Blue", "Red"], 70, 1.0, None),
        Product("Electronics", "Cameras", "Digital Cameras", "Digital Camera",
            ["digital camera", "camera"], ["Mirrorless", "Compact", "4K", "Full-Frame", "Vlogging"], ["Black", "Silver"], 700, 1.0,
            ["Camera Lenses", "Memory Cards", "Camera Bags", "Tripods"]),
        Product("Electronics", "Cameras", "Camera Lenses", "Lens", ["camera lens", "lens"], ["50mm Prime", "24-70mm Zoom", "Wide-Angle", "Telephoto", "Macro"],
            None, 400, 1.0, None),
        Product("Electronics", "Cameras", "Memory Cards", "Memory Card", ["memory card", "sd card"], ["64GB", "128GB", "256GB", "High-Speed"],
            None, 25, 0.8, None),
        Product("Electronics", "Cameras", "Camera Bags", "Camera Bag", ["camera bag"], ["Backpack", "Shoulder", "Waterproof", "Padded"],
            ["Black", "Grey", "Olive"], 50, 0.8, None),
        Product("Electronics", "Cameras", "Tripods", "Tripod", ["tripod", "camera tripod"], ["Travel", "Aluminium", "Carbon Fibre", "Compact"],
            None, 60, 0.8, None),
        Product("Electronics", "Computers", "Laptops", "Laptop", ["laptop", "notebook computer"], ["14-Inch", "16-Inch", "Ultralight", "Gaming", "Touchscreen"],
            ["Silver", "Space Grey", "Black"], 1000, 1.0, ["Laptop Sleeves", "Wireless Mice", "Keyboards", "Monitors"]),
        Product("Electronics", "Computers", "Laptop Sleeves", "Laptop Sleeve", ["laptop sleeve", "laptop case"], ["Neoprene", "Leather", "Padded", "Slim"],
            ["Black", "Grey", "Blue"], 25, 0.8, None),
        Product("Electronics", "Computers", "Wireless Mice", "Wireless Mouse", ["wireless mouse", "mouse"], ["Ergonomic", "Silent", "Rechargeable", "Travel"],
            ["Black", "White"], 30, 0.8, None),
        Product("Electronics", "Computers", "Keyboards", "Keyboard", ["keyboard"], ["Mechanical", "Wireless", "Backlit", "Compact"],
            ["Black", "White"], 70, 0.8, None),
        Product("Electronics", "Computers", "Monitors", "Monitor", ["monitor", "computer monitor"], ["27-Inch", "4K", "Curved", "USB-C"], None, 300, 0.8, None),
        Product("Electronics", "Phones", "Smartphones", "Smartphone", ["smartphone", "phone"], ["5G", "128GB", "256GB", "Dual-SIM", "Unlocked"],
            ["Black", "Blue", "Green", "White"], 600, 1.0, ["Phone Cases", "Screen Protectors", "Chargers"]),
        Product("Electronics", "Phones", "Phone Cases", "Phone Case", ["phone case"], ["Slim", "Rugged", "Clear", "Leather", "Wallet"],
            ["Black", "Clear", "Red"], 20, 0.9, None),
        Product("Electronics", "Phones", "Screen Protectors", "Screen Protector", ["screen protector"], ["Tempered Glass", "Privacy", "Anti-Glare", "2-Pack"],
            None, 12, 0.7, None),
        Product("Electronics", "Phones", "Chargers", "Charger", ["charger", "phone charger"], ["USB-C", "Fast", "Wireless", "65W", "Dual-Port"],
            ["Black", "White"], 25, 0.8, None),

        Product("Home & Kitchen", "Coffee", "Espresso Machines", "Espresso Machine", ["espresso machine", "coffee machine"],
            ["Automatic", "Manual", "Compact", "Dual-Boiler"], ["Stainless Steel", "Black", "Red"], 400, 1.0,
            ["Coffee Grinders", "Coffee Beans", "Milk Frothers"]),
        Product("Home & Kitchen", "Coffee", "Coffee Grinders", "Coffee Grinder", ["coffee grinder", "grinder"], ["Burr", "Electric", "Manual", "Conical"],
            ["Black", "Silver"], 80, 0.8, ["Coffee Beans"]),
        Product("Home & Kitchen", "Coffee", "Coffee Beans", "Coffee Beans", ["coffee beans", "coffee"],
            ["Dark Roast", "Medium Roast", "Single-Origin", "Organic", "Decaf"], ["500g", "1kg"], 15, 1.0, ["Coffee Beans"]),
        Product("Home & Kitchen", "Coffee", "Milk Frothers", "Milk Frother", ["milk frother"], ["Electric", "Handheld", "Induction"],
            ["Black", "White"], 40, 0.6, None),
        Product("Home & Kitchen", "Cookware", "Frying Pans", "Frying Pan", ["frying pan", "skillet"], ["Non-Stick", "Cast Iron", "Stainless Steel", "28cm"],
            None, 45, 1.0, ["Saucepans"]),
        Product("Home & Kitchen", "Cookware", "Saucepans", "Saucepan", ["saucepan", "pot"], ["Non-Stick", "Copper", "Stainless Steel", "3-Piece"],
            None, 60, 0.8, None),
        Product("Home & Kitchen", "Cookware", "Knife Sets", "Knife Set", ["knife set", "kitchen knives"], ["Japanese", "Forged", "6-Piece", "Ceramic"], None,
            90, 0.8, ["Cutting Boards"]),
        Product("Home & Kitchen", "Cookware", "Cutting Boards", "Cutting Board", ["cutting board", "chopping board"], ["Bamboo", "Walnut", "Plastic", "Large"],
            None, 30, 0.7, None),
        Product("Home & Kitchen", "Bedding", "Pillows", "Pillow", ["pillow", "bed pillow"], ["Memory Foam", "Down", "Cooling", "Orthopaedic", "2-Pack"], None,
            40, 1.0, ["Bed Sheets", "Duvets"]),
        Product("Home & Kitchen", "Bedding", "Duvets", "Duvet", ["duvet", "comforter"], ["All-Season", "Lightweight", "Wool", "King Size", "Double"], None, 120,
            0.8, ["Bed Sheets"]),
        Product("Home & Kitchen", "Bedding", "Bed Sheets", "Bed Sheet Set", ["bed sheets", "sheets"], ["Cotton", "Linen", "Bamboo", "400 Thread Count"],
            ["White", "Grey", "Sage", "Navy"], 60, 0.9, None),

        Product("Sports & Outdoors", "Running", "Running Shoes", "Running Shoes",
            ["running shoes", "trainers"], ["Trail", "Road", "Cushioned", "Lightweight", "Waterproof"], ["Black", "Blue", "Neon Yellow", "White"], 120, 1.2,
            ["Running Socks", "Sports Watches", "Water Bottles"]),
        Product("Sports & Outdoors", "Running", "Running Socks", "Running Socks", ["running socks", "socks"], ["Cushioned", "Compression", "Merino", "3-Pack"],
            None, 15, 0.7, None),
        Product("Sports & Outdoors", "Running", "Sports Watches", "Sports Watch", ["sports watch", "running watch"],
            ["GPS", "Heart-Rate", "Solar", "Waterproof"], ["Black", "White"], 250, 0.8, None),
        Product("Sports & Outdoors", "Running", "Water Bottles", "Water Bottle", ["water bottle", "bottle"], ["Insulated", "Collapsible", "750ml", "BPA-Free"],
            ["Blue", "Green", "Black"], 20, 0.7, None),
        Product("Sports & Outdoors", "Camping", "Tents", "Tent", ["tent", "camping tent"], ["2-Person", "4-Person", "Ultralight", "Pop-Up", "Waterproof"],
            ["Green", "Orange", "Grey"], 200, 1.0, ["Sleeping Bags", "Camping Stoves", "Headlamps"]),
        Product("Sports & Outdoors", "Camping", "Sleeping Bags", "Sleeping Bag", ["sleeping bag"], ["Down", "Synthetic", "3-Season", "Mummy", "Lightweight"],
            None, 100, 0.8, None),
        Product("Sports & Outdoors", "Camping", "Camping Stoves", "Camping Stove", ["camping stove", "stove"], ["Gas", "Compact", "Two-Burner", "Folding"],
            None, 50, 0.7, None),
        Product("Sports & Outdoors", "Camping", "Headlamps", "Headlamp", ["headlamp", "head torch"], ["Rechargeable", "400 Lumen", "Waterproof", "Red-Light"],
            None, 30, 0.7, None),
        Product("Sports & Outdoors", "Cycling", "Road Bikes", "Road Bike", ["road bike", "bicycle"],
            ["Carbon", "Aluminium", "Disc-Brake", "Gravel", "Endurance"], ["52cm", "54cm", "56cm"], 1500, 0.9, ["Bike Helmets", "Bike Lights", "Bike Locks"]),
        Product("Sports & Outdoors", "Cycling", "Bike Helmets", "Bike Helmet", ["bike helmet", "cycling helmet"], ["MIPS", "Aero", "Ventilated", "Lightweight"],
            ["Black", "White", "Red"], 80, 0.7, None),
        Product("Sports & Outdoors", "Cycling", "Bike Lights", "Bike Light Set", ["bike lights"], ["USB Rechargeable", "800 Lumen", "Front and Rear"],
            None, 35, 0.7, None),
        Product("Sports & Outdoors", "Cycling", "Bike Locks", "Bike Lock", ["bike lock"], ["U-Lock", "Folding", "Chain", "Combination"], None, 40, 0.7, None),

        new("Books", "Fiction", "Science Fiction", DemoLeafKind.SeriesBook, "Science Fiction Novel", ["science fiction", "sci fi books", "space opera"], None,
            None, 15, 1.5, None),
        new("Books", "Fiction", "Mystery", DemoLeafKind.SeriesBook, "Mystery Novel", ["mystery novel", "crime fiction", "detective novel"], None,
            None, 14, 1.5, None),
        new("Books", "Fiction", "Fantasy", DemoLeafKind.SeriesBook, "Fantasy Novel", ["fantasy novel", "epic fantasy"], None, None, 16, 1.5, None),
        Product("Books", "Non-Fiction", "Cookbooks", "Cookbook", ["cookbook", "recipe book"], ["Vegetarian", "Italian", "Baking", "Quick Meals", "Japanese"],
            ["Hardcover", "Paperback"], 25, 0.8, None),
        Product("Books", "Non-Fiction", "Travel Guides", "Travel Guide", ["travel guide", "guidebook"], ["Italy", "Japan", "Iceland", "Peru", "Portugal"],
            ["Paperback"], 20, 0.8, None),

        new("Toys & Games", "Board Games", "Strategy Games", DemoLeafKind.BaseGame, "Strategy Board Game", ["strategy board game", "strategy game"], None, None,
            45, 1.0, ["Game Expansions"]),
        new("Toys & Games", "Board Games", "Game Expansions", DemoLeafKind.Expansion, "Expansion", ["board game expansion", "expansion"], None,
            None, 30, 0.0, None),
        Product("Toys & Games", "Board Games", "Party Games", "Party Game", ["party game", "card game"], ["Card", "Word", "Drawing", "Trivia"],
            None, 25, 0.9, None),
        Product("Toys & Games", "Building Sets", "Building Kits", "Building Kit", ["building kit", "building blocks"],
            ["Space Station", "Castle", "Race Car", "City Train", "Robot"], None, 50, 1.2, ["Building Kits"]),
    ];

    private static DemoLeaf Product(string department, string group, string name, string noun, string[] queries, string[] attributes, string[] variants,
        double price, double weight, string[] followUps) =>
        new(department, group, name, DemoLeafKind.Product, noun, queries, attributes, variants, price, weight, followUps);
}
