/**
 * What the seed catalogue is made of: categories, their brands and model lines with list prices in
 * baht, editions, colours and description phrases. Brands are real-sounding (international and Thai);
 * prices are plausible Thai retail prices, not quotes.
 */

export type SizeKind = 'shoes' | 'clothes' | 'waist' | 'none';

/** A model line and its list price in whole baht. */
export type Model = readonly [name: string, baht: number];

/** An edition (material, storage, configuration...) and how it moves the price. */
export type Edition = readonly [label: string, priceFactor: number];

export interface BrandSpec {
  readonly name: string;
  /** Three letters, used in the SKU: SNK-ADI-000123. */
  readonly code: string;
  /** Relative share of the category's products. */
  readonly weight: number;
  readonly models: readonly Model[];
}

export interface NameParts {
  brand: string;
  model: string;
  edition: string;
  colour: string;
  noun: string;
}

export interface CategorySpec {
  readonly name: string;
  readonly slug: string;
  /** Three letters, the SKU prefix. */
  readonly code: string;
  /** How many products of this category the seed makes. */
  readonly count: number;
  readonly sizeKind: SizeKind;
  /** The product noun put into names ("Sneakers", "Jeans"); empty when the model names the thing. */
  readonly noun: string;
  readonly brands: readonly BrandSpec[];
  readonly editions: readonly Edition[];
  /** An empty string means "no colour in the name". */
  readonly colours: readonly string[];
  /** Description openers; placeholders {brand} {model} {noun}. */
  readonly intros: readonly string[];
  /** Description middles: what the product is good at. */
  readonly features: readonly string[];
  readonly formatName: (parts: NameParts) => string;
}

const join = (...parts: string[]): string => parts.filter((part) => part !== '').join(' ');

const fashionName = ({ brand, model, edition, noun, colour }: NameParts): string =>
  join(brand, model, edition, noun, colour);
const itemName = ({ brand, model, edition, colour }: NameParts): string => join(brand, model, edition, colour);
const laptopName = ({ brand, model, edition, noun, colour }: NameParts): string =>
  join(brand, model, noun, edition, colour);

const SHOE_COLOURS = [
  'Core Black',
  'Cloud White',
  'Triple Black',
  'Triple White',
  'Grey Two',
  'Navy Blue',
  'Olive Green',
  'Sand Beige',
  'Scarlet Red',
  'Royal Blue',
  'Off White',
  'Pink Tint',
  'Black White',
  'Cream',
  'Burgundy',
];

const CLOTHING_COLOURS = [
  'Black',
  'White',
  'Navy',
  'Heather Grey',
  'Olive',
  'Beige',
  'Red',
  'Sky Blue',
  'Forest Green',
  'Pink',
  'Brown',
  'Off White',
  'Charcoal',
];

export const CATEGORIES: readonly CategorySpec[] = [
  {
    name: 'Sneakers',
    slug: 'sneakers',
    code: 'SNK',
    count: 1000,
    sizeKind: 'shoes',
    noun: 'Sneakers',
    formatName: fashionName,
    brands: [
      {
        name: 'Adidas',
        code: 'ADI',
        weight: 14,
        models: [
          ['NMD_R1', 5500],
          ['NMD_V3', 5200],
          ['NMD_S1', 6500],
          ['NMD_G1', 5800],
          ['Stan Smith', 3800],
          ['Superstar', 3800],
          ['Samba OG', 4300],
          ['Gazelle', 4000],
          ['Forum Low', 4200],
          ['Campus 00s', 4300],
          ['Ozweego', 4500],
          ['Handball Spezial', 4300],
        ],
      },
      {
        name: 'Nike',
        code: 'NIK',
        weight: 18,
        models: [
          ["Air Force 1 '07", 3900],
          ['Air Max 90', 4700],
          ['Air Max 97', 6200],
          ['Air Max Plus', 6500],
          ['Dunk Low Retro', 3900],
          ["Blazer Mid '77", 3500],
          ['Cortez', 3200],
          ['Air Jordan 1 Mid', 4600],
          ['P-6000', 3900],
        ],
      },
      {
        name: 'Puma',
        code: 'PUM',
        weight: 8,
        models: [
          ['Suede Classic XXI', 2900],
          ['RS-X', 3900],
          ['Palermo', 3600],
          ['Speedcat OG', 3900],
          ['Cali Dream', 3200],
          ['Caven 2', 2300],
        ],
      },
      {
        name: 'New Balance',
        code: 'NBL',
        weight: 10,
        models: [
          ['550', 4200],
          ['574', 3500],
          ['327', 3900],
          ['530', 3900],
          ['9060', 5900],
          ['2002R', 5200],
          ['1906R', 5500],
        ],
      },
      {
        name: 'Onitsuka Tiger',
        code: 'ONT',
        weight: 7,
        models: [
          ['Mexico 66', 4300],
          ['Mexico 66 SD', 5200],
          ['Serrano', 3600],
          ['Tokuten', 4300],
          ['California 78 EX', 3900],
        ],
      },
      {
        name: 'Asics',
        code: 'ASC',
        weight: 6,
        models: [
          ['Gel-Lyte III OG', 4300],
          ['Gel-1130', 3900],
          ['GT-2160', 4800],
          ['Gel-NYC', 5000],
          ['Japan S', 2600],
        ],
      },
      {
        name: 'Converse',
        code: 'CNV',
        weight: 8,
        models: [
          ['Chuck Taylor All Star', 2100],
          ['Chuck 70 Hi', 3000],
          ['Run Star Hike', 3800],
          ['One Star Pro', 3100],
        ],
      },
      {
        name: 'Vans',
        code: 'VAN',
        weight: 8,
        models: [
          ['Old Skool', 2600],
          ['Sk8-Hi', 2900],
          ['Authentic', 2100],
          ['Classic Slip-On', 2100],
          ['Knu Skool', 3300],
        ],
      },
      {
        name: 'Reebok',
        code: 'RBK',
        weight: 5,
        models: [
          ['Club C 85', 3300],
          ['Classic Leather', 3200],
        ],
      },
      {
        name: 'POCA SHOE',
        code: 'PCS',
        weight: 6,
        models: [
          ['Canvas Low', 399],
          ['Canvas High', 459],
          ['Slip-On', 359],
          ['Retro Court', 590],
          ['Platform Low', 490],
        ],
      },
      {
        name: 'Pan',
        code: 'PAN',
        weight: 4,
        models: [
          ['Vigor Classic', 1290],
          ['Court Pro', 990],
          ['Street Runner', 1190],
        ],
      },
      {
        name: 'Breaker',
        code: 'BRK',
        weight: 4,
        models: [
          ['BK4 Canvas', 390],
          ['Classic Low', 450],
        ],
      },
    ],
    editions: [
      ['', 1],
      ['', 1],
      ['', 1],
      ['Premium', 1.25],
      ['Leather', 1.1],
      ['Suede', 1.1],
      ['Vintage', 1.05],
      ['Limited Edition', 1.4],
    ],
    colours: SHOE_COLOURS,
    intros: [
      'The {brand} {model} brings everyday street style with a comfortable fit.',
      'A modern take on a classic: the {model} from {brand}.',
      '{brand} {model} sneakers, made for long days in the city.',
      'Clean lines and a cushioned sole make the {brand} {model} an easy everyday pair.',
    ],
    features: [
      'A padded collar and a soft lining keep every step comfortable.',
      'The rubber outsole grips on wet Bangkok pavements.',
      'A breathable upper keeps feet cool in the tropical heat.',
      'The lightweight midsole absorbs impact from morning to night.',
      'Pair them with jeans, shorts or a summer dress.',
    ],
  },
  {
    name: 'Running Shoes',
    slug: 'running-shoes',
    code: 'RUN',
    count: 800,
    sizeKind: 'shoes',
    noun: 'Running Shoes',
    formatName: fashionName,
    brands: [
      {
        name: 'Adidas',
        code: 'ADI',
        weight: 12,
        models: [
          ['Ultraboost Light', 6500],
          ['Ultraboost 5 DNA', 5500],
          ['Adizero Adios Pro 3', 8500],
          ['Adizero SL', 3800],
          ['Adizero Boston 12', 5800],
          ['Supernova Rise', 4900],
          ['Duramo SL', 2200],
        ],
      },
      {
        name: 'Nike',
        code: 'NIK',
        weight: 14,
        models: [
          ['Pegasus 41', 4700],
          ['Vomero 17', 5300],
          ['Invincible 3', 6200],
          ['Vaporfly 3', 8900],
          ['Structure 25', 4700],
          ['Revolution 7', 2100],
          ['Zoom Fly 6', 5700],
        ],
      },
      {
        name: 'Asics',
        code: 'ASC',
        weight: 14,
        models: [
          ['Gel-Kayano 31', 5900],
          ['Gel-Nimbus 26', 6200],
          ['Novablast 4', 4900],
          ['GT-2000 13', 4700],
          ['Metaspeed Sky Paris', 9400],
          ['Gel-Contend 9', 1900],
          ['Magic Speed 4', 6400],
        ],
      },
      {
        name: 'New Balance',
        code: 'NBL',
        weight: 8,
        models: [
          ['Fresh Foam X 1080v14', 6200],
          ['FuelCell Rebel v4', 5200],
          ['Fresh Foam X 880v14', 5000],
          ['FuelCell SC Elite v4', 9500],
        ],
      },
      {
        name: 'Hoka',
        code: 'HOK',
        weight: 10,
        models: [
          ['Clifton 9', 5500],
          ['Bondi 8', 6200],
          ['Mach 6', 5600],
          ['Speedgoat 6', 5900],
          ['Arahi 7', 5500],
          ['Rincon 4', 4600],
        ],
      },
      {
        name: 'Saucony',
        code: 'SAU',
        weight: 5,
        models: [
          ['Endorphin Speed 4', 6300],
          ['Ride 17', 4900],
          ['Kinvara 15', 4500],
          ['Triumph 22', 5900],
        ],
      },
      {
        name: 'Brooks',
        code: 'BRO',
        weight: 5,
        models: [
          ['Ghost 16', 5200],
          ['Glycerin 21', 5900],
          ['Adrenaline GTS 24', 5200],
        ],
      },
      {
        name: 'Mizuno',
        code: 'MIZ',
        weight: 5,
        models: [
          ['Wave Rider 28', 4900],
          ['Wave Inspire 20', 5200],
          ['Wave Rebellion Pro 2', 8200],
        ],
      },
      {
        name: 'Puma',
        code: 'PUM',
        weight: 5,
        models: [
          ['Velocity Nitro 3', 4300],
          ['Deviate Nitro 3', 5800],
          ['ForeverRun Nitro', 5600],
        ],
      },
      {
        name: 'Li-Ning',
        code: 'LIN',
        weight: 3,
        models: [
          ['Red Hare 7', 3500],
          ['Feidian 4 Elite', 6900],
        ],
      },
      {
        name: 'Pan',
        code: 'PAN',
        weight: 3,
        models: [
          ['Speed Runner', 1590],
          ['Marathon Pro', 1890],
        ],
      },
    ],
    editions: [
      ['', 1],
      ['', 1],
      ['', 1],
      ['', 1],
      ['Wide', 1.05],
      ['GTX', 1.2],
      ['Limited Edition', 1.3],
    ],
    colours: [
      'Black',
      'White',
      'Black White',
      'Blue Coast',
      'Solar Yellow',
      'Lime',
      'Grey',
      'Navy',
      'Coral',
      'Orange',
      'Mint',
    ],
    intros: [
      'The {brand} {model} is built for daily miles and race day alike.',
      'Run further in the {brand} {model}.',
      '{brand} {model} running shoes with responsive cushioning.',
      'Light, springy and stable: the {model} by {brand}.',
    ],
    features: [
      'A responsive foam midsole returns energy with every stride.',
      'The engineered mesh upper breathes on hot and humid runs.',
      'A durable rubber outsole handles road and track.',
      'Great for tempo runs, long runs and your next marathon.',
      'Reflective details keep you visible on early morning runs.',
    ],
  },
  {
    name: 'T-Shirts',
    slug: 't-shirts',
    code: 'TSH',
    count: 1000,
    sizeKind: 'clothes',
    noun: 'T-Shirt',
    formatName: fashionName,
    brands: [
      {
        name: 'Uniqlo',
        code: 'UNQ',
        weight: 20,
        models: [
          ['Supima Cotton Crew Neck', 390],
          ['U Crew Neck', 590],
          ['AIRism Cotton Oversized', 590],
          ['UT Graphic', 390],
          ['Dry-EX Crew Neck', 590],
          ['Cotton Relaxed Fit', 490],
        ],
      },
      {
        name: 'Nike',
        code: 'NIK',
        weight: 10,
        models: [
          ['Sportswear Club', 990],
          ['Dri-FIT Legend', 890],
          ['Sportswear Max90', 1400],
          ['Dri-FIT Miler', 1200],
        ],
      },
      {
        name: 'Adidas',
        code: 'ADI',
        weight: 10,
        models: [
          ['Essentials 3-Stripes', 990],
          ['Trefoil', 1100],
          ['Own the Run', 1300],
          ['Adicolor Classics', 1300],
        ],
      },
      {
        name: 'H&M',
        code: 'HNM',
        weight: 10,
        models: [
          ['Regular Fit', 299],
          ['Oversized Printed', 499],
          ['Slim Fit Cotton', 249],
        ],
      },
      {
        name: "Levi's",
        code: 'LEV',
        weight: 8,
        models: [
          ['Original Housemark', 990],
          ['Batwing Logo', 1090],
          ['Relaxed Fit Pocket', 1190],
        ],
      },
      {
        name: 'Muji',
        code: 'MUJ',
        weight: 6,
        models: [
          ['Organic Cotton Crew Neck', 490],
          ['Jersey Short Sleeve', 590],
        ],
      },
      {
        name: 'Warrix',
        code: 'WRX',
        weight: 8,
        models: [
          ['Classic Sport', 399],
          ['Active Flex', 459],
          ['Thai Elephant Print', 350],
        ],
      },
      {
        name: 'Grand Sport',
        code: 'GSP',
        weight: 6,
        models: [
          ['Cool Dry', 329],
          ['Basic Crew', 259],
        ],
      },
      {
        name: 'Jaspal',
        code: 'JSP',
        weight: 4,
        models: [
          ['Essential Crew', 990],
          ['Logo Print', 1190],
        ],
      },
      {
        name: 'Carnival',
        code: 'CRN',
        weight: 4,
        models: [
          ['Box Logo', 1290],
          ['Graphic Print', 1390],
        ],
      },
      {
        name: 'Champion',
        code: 'CHM',
        weight: 5,
        models: [
          ['Reverse Weave', 1590],
          ['Script Logo', 990],
        ],
      },
    ],
    editions: [
      ['', 1],
      ['', 1],
      ['', 1],
      ['', 1],
      ['Oversized', 1.1],
      ['Short Sleeve', 1],
      ['Organic', 1.15],
    ],
    colours: CLOTHING_COLOURS,
    intros: [
      'A wardrobe staple: the {brand} {model} t-shirt.',
      'The {brand} {model} tee is soft, easy and made to be worn every day.',
      '{brand} {model}: a t-shirt that keeps its shape wash after wash.',
    ],
    features: [
      'Soft cotton jersey feels good from the first wear.',
      'A relaxed fit that works on its own or under a shirt.',
      'Quick-drying fabric for hot afternoons.',
      'Machine washable and easy to care for.',
    ],
  },
  {
    name: 'Jeans',
    slug: 'jeans',
    code: 'JNS',
    count: 700,
    sizeKind: 'waist',
    noun: 'Jeans',
    formatName: fashionName,
    brands: [
      {
        name: "Levi's",
        code: 'LEV',
        weight: 20,
        models: [
          ['501 Original', 3290],
          ['511 Slim', 2990],
          ['505 Regular', 2790],
          ['550 Relaxed', 2990],
          ['Ribcage Straight Ankle', 3490],
          ['724 High Rise Straight', 2990],
          ['502 Taper', 2990],
          ['568 Stay Loose', 3290],
        ],
      },
      {
        name: 'Wrangler',
        code: 'WRG',
        weight: 8,
        models: [
          ['Texas Stretch', 2290],
          ['Greensboro', 2490],
          ['Frontier', 1990],
        ],
      },
      {
        name: 'Lee',
        code: 'LEE',
        weight: 8,
        models: [
          ['Brooklyn Straight', 1990],
          ['Rider Slim', 2190],
          ['Extreme Motion', 2290],
        ],
      },
      {
        name: 'Uniqlo',
        code: 'UNQ',
        weight: 12,
        models: [
          ['Selvedge Slim Fit', 1490],
          ['Wide Straight', 1490],
          ['EZY', 990],
          ['Ultra Stretch Skinny', 1290],
        ],
      },
      {
        name: 'G-Star Raw',
        code: 'GST',
        weight: 5,
        models: [
          ['3301 Slim', 4900],
          ['D-Staq 3D', 5900],
        ],
      },
      {
        name: 'Diesel',
        code: 'DSL',
        weight: 4,
        models: [
          ['1995 D-Sark', 7900],
          ['2019 D-Strukt', 8900],
        ],
      },
      {
        name: 'Mc Jeans',
        code: 'MCJ',
        weight: 12,
        models: [
          ['MC Original Straight', 1290],
          ['Slim Fit Stretch', 1190],
          ['Boot Cut', 1390],
          ['Mom Fit', 1190],
        ],
      },
      {
        name: 'Calvin Klein Jeans',
        code: 'CKJ',
        weight: 4,
        models: [
          ['90s Straight', 4900],
          ['Body Skinny', 4500],
        ],
      },
      {
        name: 'Zara',
        code: 'ZAR',
        weight: 5,
        models: [
          ['Z1975 Straight Leg', 1990],
          ['Wide Leg Full Length', 1790],
        ],
      },
    ],
    editions: [
      ['', 1],
      ['', 1],
      ['', 1],
      ['Dark Wash', 1],
      ['Light Wash', 1],
      ['Stretch', 1.05],
      ['Selvedge', 1.3],
      ['Ripped', 1.05],
    ],
    colours: ['Indigo', 'Dark Indigo', 'Stonewash Blue', 'Light Blue', 'Black', 'Washed Black', 'Grey', 'Ecru'],
    intros: [
      'The {brand} {model} jeans: classic five-pocket denim.',
      '{brand} {model}, cut from denim that softens with every wear.',
      'Denim done right: the {model} by {brand}.',
    ],
    features: [
      'Stretch denim moves with you all day.',
      'A mid-rise waist and a straight leg suit most shapes.',
      'Sturdy stitching and metal rivets last for years.',
      'Wash inside out in cold water to keep the colour deep.',
    ],
  },
  {
    name: 'Dresses',
    slug: 'dresses',
    code: 'DRS',
    count: 800,
    sizeKind: 'clothes',
    noun: 'Dress',
    formatName: fashionName,
    brands: [
      {
        name: 'Zara',
        code: 'ZAR',
        weight: 14,
        models: [
          ['Midi Satin', 1990],
          ['Linen Blend Midi', 2290],
          ['Poplin Shirt', 1790],
          ['Knit Mini', 1590],
        ],
      },
      {
        name: 'H&M',
        code: 'HNM',
        weight: 12,
        models: [
          ['Wrap', 999],
          ['Smocked', 799],
          ['Tiered Cotton', 899],
          ['Bodycon', 599],
        ],
      },
      {
        name: 'Uniqlo',
        code: 'UNQ',
        weight: 10,
        models: [
          ['Ribbed Bra', 990],
          ['Crepe Jersey', 1490],
          ['Cotton Flare', 1290],
        ],
      },
      {
        name: 'Mango',
        code: 'MNG',
        weight: 8,
        models: [
          ['Floral Midi', 2290],
          ['Shirt', 1990],
          ['Slip', 1790],
        ],
      },
      {
        name: 'Sretsis',
        code: 'SRS',
        weight: 4,
        models: [
          ['Embroidered Tulle', 8900],
          ['Garden Party Midi', 7900],
        ],
      },
      {
        name: 'Greyhound Original',
        code: 'GHO',
        weight: 5,
        models: [
          ['Pleated Midi', 3290],
          ['Wrap Front', 2990],
        ],
      },
      {
        name: 'Lyn',
        code: 'LYN',
        weight: 6,
        models: [
          ['Ruffle Mini', 1890],
          ['A-Line', 1690],
        ],
      },
      {
        name: 'CPS Chaps',
        code: 'CPS',
        weight: 6,
        models: [
          ['Shirt', 1990],
          ['Striped Cotton', 1790],
        ],
      },
      {
        name: 'Jaspal',
        code: 'JSP',
        weight: 4,
        models: [
          ['Pleated', 2590],
          ['Asymmetric', 2790],
        ],
      },
      {
        name: 'Pomelo',
        code: 'PML',
        weight: 8,
        models: [
          ['Puff Sleeve Mini', 790],
          ['Ruched Midi', 890],
          ['Tie Front', 690],
        ],
      },
    ],
    editions: [
      ['', 1],
      ['', 1],
      ['', 1],
      ['Sleeveless', 1],
      ['Long Sleeve', 1.1],
      ['Floral Print', 1.05],
      ['Striped', 1],
      ['Linen', 1.2],
    ],
    colours: [
      'Black',
      'White',
      'Ivory',
      'Navy',
      'Sage Green',
      'Dusty Pink',
      'Red',
      'Lilac',
      'Mustard',
      'Floral Blue',
      'Terracotta',
      'Champagne',
    ],
    intros: [
      'The {brand} {model} dress, easy to dress up or down.',
      'A flattering {model} dress from {brand}.',
      '{brand} {model}: light, pretty and made for warm days.',
    ],
    features: [
      'A flowing skirt that moves beautifully.',
      'Lightweight fabric keeps you cool through a Bangkok afternoon.',
      'Fully lined, with a concealed zip at the back.',
      'Perfect for brunch, weddings and weekends away.',
    ],
  },
  {
    name: 'Jackets',
    slug: 'jackets',
    code: 'JKT',
    count: 700,
    sizeKind: 'clothes',
    noun: 'Jacket',
    formatName: fashionName,
    brands: [
      {
        name: 'The North Face',
        code: 'TNF',
        weight: 10,
        models: [
          ['1996 Retro Nuptse', 12900],
          ['Denali', 7900],
          ['Venture 2', 4900],
          ['Antora', 5500],
        ],
      },
      {
        name: 'Patagonia',
        code: 'PTG',
        weight: 5,
        models: [
          ['Nano Puff', 8900],
          ['Better Sweater', 6900],
          ['Torrentshell 3L', 7500],
        ],
      },
      {
        name: 'Columbia',
        code: 'CLB',
        weight: 6,
        models: [
          ['Watertight II', 3500],
          ['Powder Lite', 4900],
          ['Steens Mountain Fleece', 2500],
        ],
      },
      {
        name: 'Uniqlo',
        code: 'UNQ',
        weight: 14,
        models: [
          ['Ultra Light Down', 1990],
          ['Blocktech Parka', 2490],
          ['Pocketable UV Protection Parka', 1290],
          ['Fleece Full-Zip', 790],
        ],
      },
      {
        name: "Levi's",
        code: 'LEV',
        weight: 8,
        models: [
          ['Trucker', 3490],
          ['Sherpa Trucker', 4290],
        ],
      },
      {
        name: 'Nike',
        code: 'NIK',
        weight: 9,
        models: [
          ['Windrunner', 3200],
          ['Tech Fleece Windrunner', 4800],
          ['Storm-FIT', 4200],
        ],
      },
      {
        name: 'Adidas',
        code: 'ADI',
        weight: 8,
        models: [
          ['Firebird Track', 2800],
          ['SST Track', 2600],
          ['Terrex Multi Rain', 5200],
          ['Essentials Insulated', 3200],
        ],
      },
      {
        name: 'Zara',
        code: 'ZAR',
        weight: 6,
        models: [
          ['Faux Leather Biker', 2590],
          ['Oversize Bomber', 2290],
        ],
      },
      {
        name: 'Mc Jeans',
        code: 'MCJ',
        weight: 5,
        models: [
          ['Denim', 1890],
          ['Corduroy', 1590],
        ],
      },
      {
        name: 'Warrix',
        code: 'WRX',
        weight: 4,
        models: [
          ['Windbreaker', 990],
          ['Training', 890],
        ],
      },
    ],
    editions: [
      ['', 1],
      ['', 1],
      ['', 1],
      ['Hooded', 1.1],
      ['Waterproof', 1.15],
      ['Lightweight', 1],
      ['Packable', 1.05],
    ],
    colours: ['Black', 'Navy', 'Olive', 'Khaki', 'Grey', 'Red', 'Sand', 'Forest Green', 'Burgundy', 'Cream', 'Mustard'],
    intros: [
      'The {brand} {model} jacket, ready for rainy season and cool evenings.',
      '{brand} {model}: a jacket for travel, trails and air-conditioned offices.',
      'Layer up with the {model} from {brand}.',
    ],
    features: [
      'Packs into its own pocket for travel.',
      'A water-repellent finish sheds sudden monsoon showers.',
      'Zipped hand pockets keep your phone safe.',
      'Warm without bulk, light enough to carry all day.',
    ],
  },
  {
    name: 'Bags',
    slug: 'bags',
    code: 'BAG',
    count: 700,
    sizeKind: 'none',
    noun: '',
    formatName: itemName,
    brands: [
      {
        name: 'Naraya',
        code: 'NRY',
        weight: 12,
        models: [
          ['Cotton Tote Bag', 290],
          ['Quilted Shoulder Bag', 390],
          ['Ribbon Handbag', 450],
          ['Cosmetic Pouch', 190],
          ['Travel Duffel Bag', 690],
        ],
      },
      {
        name: 'Herschel',
        code: 'HRS',
        weight: 8,
        models: [
          ['Little America Backpack', 3990],
          ['Heritage Backpack', 2490],
          ['Nova Mini Backpack', 1990],
          ['Novel Duffle Bag', 3490],
        ],
      },
      {
        name: 'Samsonite',
        code: 'SMS',
        weight: 8,
        models: [
          ['Proxis Spinner 55 Carry-On', 21900],
          ['Pro-DLX 6 Laptop Backpack', 8900],
          ['Magnum Eco Spinner 75', 12900],
        ],
      },
      {
        name: 'Fjällräven',
        code: 'FJR',
        weight: 6,
        models: [
          ['Kånken Classic Backpack', 3290],
          ['Kånken Mini Backpack', 2790],
          ['Ulvö Hip Pack', 1990],
        ],
      },
      {
        name: 'Coach',
        code: 'COA',
        weight: 5,
        models: [
          ['Tabby Shoulder Bag 26', 19500],
          ['Willow Tote', 16900],
          ['Teri Mini Crossbody', 8900],
        ],
      },
      {
        name: 'Michael Kors',
        code: 'MKR',
        weight: 5,
        models: [
          ['Jet Set Travel Tote', 9900],
          ['Mercer Crossbody', 8500],
        ],
      },
      {
        name: 'Anello',
        code: 'ANL',
        weight: 8,
        models: [
          ['Kuchigane Backpack', 1890],
          ['Cross Bottle Backpack', 1690],
          ['Mini Shoulder Bag', 990],
        ],
      },
      {
        name: 'Longchamp',
        code: 'LCH',
        weight: 5,
        models: [
          ['Le Pliage Original Tote', 4950],
          ['Le Pliage Energy Backpack', 6450],
        ],
      },
      {
        name: 'Jaspal',
        code: 'JSP',
        weight: 4,
        models: [
          ['Canvas Tote Bag', 1590],
          ['Crossbody Bag', 1890],
        ],
      },
      {
        name: 'Kipling',
        code: 'KPL',
        weight: 6,
        models: [
          ['Seoul Backpack', 3900],
          ['Abanu Crossbody', 2900],
          ['Art Tote', 3500],
        ],
      },
    ],
    editions: [
      ['', 1],
      ['', 1],
      ['', 1],
      ['Recycled', 1.1],
      ['Limited Edition', 1.3],
      ['Large', 1.2],
      ['Small', 0.85],
    ],
    colours: [
      'Black',
      'Navy',
      'Tan',
      'Olive',
      'Grey',
      'Red',
      'Beige',
      'Camel',
      'Pink',
      'Forest Green',
      'Cream',
      'Cognac',
    ],
    intros: [
      'The {brand} {model} carries your day with room to spare.',
      '{brand} {model}: practical, durable and good looking.',
      'Everything in its place with the {model} from {brand}.',
    ],
    features: [
      'A padded sleeve protects a laptop up to 15 inches.',
      'Water-resistant fabric keeps your things dry.',
      'Adjustable straps for a comfortable carry.',
      'An inner zip pocket keeps keys and cards secure.',
    ],
  },
  {
    name: 'Watches',
    slug: 'watches',
    code: 'WAT',
    count: 700,
    sizeKind: 'none',
    noun: '',
    formatName: itemName,
    brands: [
      {
        name: 'Casio',
        code: 'CAS',
        weight: 16,
        models: [
          ['G-Shock GA-2100', 3700],
          ['G-Shock DW-5600', 3300],
          ['G-Shock GM-2100 Metal', 7400],
          ['Vintage A168WA', 1390],
          ['Edifice EFR-526', 4500],
          ['Baby-G BGA-280', 3800],
          ['MTP-1374 Analog', 2100],
        ],
      },
      {
        name: 'Seiko',
        code: 'SKO',
        weight: 12,
        models: [
          ['Presage Cocktail Time SRPB43', 14500],
          ['Prospex Turtle SRPE93', 16500],
          ['5 Sports SRPD55', 10500],
          ['Essentials SUR', 6900],
        ],
      },
      {
        name: 'Citizen',
        code: 'CTZ',
        weight: 8,
        models: [
          ['Eco-Drive Promaster Diver', 12900],
          ['Tsuyosa Automatic', 14900],
          ['Eco-Drive Chronograph', 9900],
        ],
      },
      {
        name: 'Orient',
        code: 'ORT',
        weight: 6,
        models: [
          ['Bambino Version 2', 7900],
          ['Kamasu Diver', 11900],
        ],
      },
      {
        name: 'Tissot',
        code: 'TIS',
        weight: 5,
        models: [
          ['PRX Powermatic 80', 26900],
          ['Le Locle Powermatic 80', 23900],
          ['Seastar 1000', 19900],
        ],
      },
      {
        name: 'Garmin',
        code: 'GRM',
        weight: 8,
        models: [
          ['Forerunner 265', 15900],
          ['Venu 3', 16900],
          ['Instinct 2 Solar', 14900],
          ['Forerunner 55', 6900],
        ],
      },
      {
        name: 'Apple',
        code: 'APL',
        weight: 8,
        models: [
          ['Watch Series 10 GPS 42mm', 13900],
          ['Watch SE 40mm', 8900],
          ['Watch Ultra 2', 31900],
        ],
      },
      {
        name: 'Samsung',
        code: 'SAM',
        weight: 7,
        models: [
          ['Galaxy Watch7 44mm', 10900],
          ['Galaxy Watch Ultra', 20900],
          ['Galaxy Watch FE', 6900],
        ],
      },
      {
        name: 'Xiaomi',
        code: 'XMI',
        weight: 8,
        models: [
          ['Smart Band 9', 1290],
          ['Watch S3', 4490],
          ['Redmi Watch 4', 2490],
        ],
      },
      {
        name: 'Huawei',
        code: 'HWI',
        weight: 6,
        models: [
          ['Watch GT 5 46mm', 7990],
          ['Watch Fit 3', 4490],
        ],
      },
      {
        name: 'Daniel Wellington',
        code: 'DWL',
        weight: 4,
        models: [
          ['Classic Petite', 5900],
          ['Iconic Link', 7900],
        ],
      },
    ],
    editions: [
      ['', 1],
      ['', 1],
      ['', 1],
      ['Stainless Steel', 1.15],
      ['Leather Strap', 1.05],
      ['Resin Strap', 0.95],
    ],
    colours: [
      'Black',
      'Silver',
      'Gold',
      'Rose Gold',
      'Blue Dial',
      'Green Dial',
      'White',
      'Olive',
      'Midnight',
      'Titanium',
    ],
    intros: [
      'The {brand} {model}: precise, tough and made to be worn every day.',
      'Keep time in style with the {brand} {model}.',
      '{brand} {model}, a watch that goes from the office to the beach.',
    ],
    features: [
      'Water resistant to 100 metres.',
      'Sapphire-coated glass resists scratches.',
      'A battery that lasts for years, or days of smartwatch use on one charge.',
      'Comes with a two-year official Thailand warranty.',
    ],
  },
  {
    name: 'Headphones',
    slug: 'headphones',
    code: 'HPH',
    count: 600,
    sizeKind: 'none',
    noun: '',
    formatName: itemName,
    brands: [
      {
        name: 'Sony',
        code: 'SNY',
        weight: 14,
        models: [
          ['WH-1000XM5 Wireless Noise Cancelling Headphones', 12990],
          ['WF-1000XM5 Noise Cancelling Earbuds', 9990],
          ['WH-CH720N Wireless Headphones', 3990],
          ['LinkBuds S Earbuds', 5990],
          ['ULT Wear Wireless Headphones', 6990],
        ],
      },
      {
        name: 'JBL',
        code: 'JBL',
        weight: 12,
        models: [
          ['Tune 770NC Wireless Headphones', 3990],
          ['Live 660NC Headphones', 5990],
          ['Tune Beam Earbuds', 2990],
          ['Endurance Peak 3 Sports Earbuds', 3490],
          ['Tour One M2 Headphones', 10990],
        ],
      },
      {
        name: 'Bose',
        code: 'BOS',
        weight: 6,
        models: [
          ['QuietComfort Ultra Headphones', 14900],
          ['QuietComfort Ultra Earbuds', 10900],
          ['QuietComfort Headphones', 11900],
        ],
      },
      {
        name: 'Apple',
        code: 'APL',
        weight: 10,
        models: [
          ['AirPods Pro 2', 8990],
          ['AirPods 4', 4990],
          ['AirPods 4 with Active Noise Cancellation', 6490],
          ['AirPods Max', 19900],
        ],
      },
      {
        name: 'Samsung',
        code: 'SAM',
        weight: 7,
        models: [
          ['Galaxy Buds3 Pro', 7990],
          ['Galaxy Buds FE', 2990],
          ['Galaxy Buds3', 5490],
        ],
      },
      {
        name: 'Sennheiser',
        code: 'SNH',
        weight: 5,
        models: [
          ['Momentum 4 Wireless Headphones', 12990],
          ['HD 560S Headphones', 6990],
          ['Accentum Plus Headphones', 7990],
        ],
      },
      {
        name: 'Audio-Technica',
        code: 'ATC',
        weight: 5,
        models: [
          ['ATH-M50x Studio Headphones', 5990],
          ['ATH-M40x Studio Headphones', 3990],
          ['ATH-SQ1TW Earbuds', 2490],
        ],
      },
      {
        name: 'Soundcore',
        code: 'SDC',
        weight: 8,
        models: [
          ['Liberty 4 NC Earbuds', 2790],
          ['Space Q45 Headphones', 3990],
          ['Life Q30 Headphones', 2290],
        ],
      },
      {
        name: 'Marshall',
        code: 'MSH',
        weight: 4,
        models: [
          ['Major IV Headphones', 5290],
          ['Motif II ANC Earbuds', 7990],
        ],
      },
      {
        name: 'Xiaomi',
        code: 'XMI',
        weight: 5,
        models: [
          ['Redmi Buds 6 Pro', 1790],
          ['Buds 5', 3290],
        ],
      },
    ],
    editions: [['', 1]],
    colours: ['Black', 'White', 'Silver', 'Midnight Blue', 'Beige', 'Sage', 'Pink', 'Graphite'],
    intros: [
      'Hear every detail with the {brand} {model}.',
      'The {brand} {model}: rich sound, all day comfort.',
      '{brand} {model} for music, calls and quiet commutes on the BTS.',
    ],
    features: [
      'Active noise cancelling shuts out traffic and chatter.',
      'Up to 30 hours of battery life, with fast charging.',
      'Multipoint Bluetooth pairs with your phone and laptop at once.',
      'Clear calls thanks to beamforming microphones.',
    ],
  },
  {
    name: 'Smartphones',
    slug: 'smartphones',
    code: 'PHN',
    count: 600,
    sizeKind: 'none',
    noun: '',
    formatName: itemName,
    brands: [
      {
        name: 'Apple',
        code: 'APL',
        weight: 14,
        models: [
          ['iPhone 16 Pro Max', 48900],
          ['iPhone 16 Pro', 39900],
          ['iPhone 16', 29900],
          ['iPhone 16 Plus', 33900],
          ['iPhone 15', 25900],
        ],
      },
      {
        name: 'Samsung',
        code: 'SAM',
        weight: 14,
        models: [
          ['Galaxy S24 Ultra', 46900],
          ['Galaxy S24', 29900],
          ['Galaxy A55 5G', 14999],
          ['Galaxy A35 5G', 11999],
          ['Galaxy Z Flip6', 39900],
          ['Galaxy Z Fold6', 62900],
          ['Galaxy A16', 6999],
        ],
      },
      {
        name: 'Xiaomi',
        code: 'XMI',
        weight: 10,
        models: [
          ['14T Pro', 20990],
          ['Redmi Note 13 Pro 5G', 10990],
          ['Redmi 13C', 3999],
          ['Poco X6 Pro', 11990],
        ],
      },
      {
        name: 'Oppo',
        code: 'OPP',
        weight: 8,
        models: [
          ['Reno12 5G', 15990],
          ['Find X8 Pro', 36990],
          ['A3 Pro', 7990],
        ],
      },
      {
        name: 'Vivo',
        code: 'VIV',
        weight: 8,
        models: [
          ['V40 5G', 16999],
          ['Y28', 5999],
          ['X200 Pro', 36999],
        ],
      },
      {
        name: 'Google',
        code: 'GGL',
        weight: 4,
        models: [
          ['Pixel 9 Pro', 35990],
          ['Pixel 9', 28990],
          ['Pixel 8a', 16990],
        ],
      },
      {
        name: 'Realme',
        code: 'RLM',
        weight: 5,
        models: [
          ['12 Pro+ 5G', 13999],
          ['C67', 5999],
        ],
      },
      {
        name: 'Honor',
        code: 'HNR',
        weight: 4,
        models: [
          ['Magic6 Pro', 32990],
          ['X9b 5G', 9990],
        ],
      },
      {
        name: 'Huawei',
        code: 'HWI',
        weight: 4,
        models: [
          ['Pura 70 Pro', 33990],
          ['Nova 12i', 7990],
        ],
      },
    ],
    editions: [
      ['128GB', 1],
      ['256GB', 1.15],
      ['256GB', 1.15],
      ['512GB', 1.35],
      ['1TB', 1.6],
    ],
    colours: [
      'Black',
      'White',
      'Titanium Black',
      'Natural Titanium',
      'Desert Titanium',
      'Blue',
      'Mint',
      'Lavender',
      'Graphite',
      'Silver',
      'Green',
    ],
    intros: [
      'The {brand} {model}: a fast, capable phone for every day.',
      'Meet the {brand} {model}.',
      '{brand} {model}, with a bright display and a camera that shines at night.',
    ],
    features: [
      'A 120 Hz display makes scrolling silky smooth.',
      'The main camera captures sharp photos even in dim street light.',
      'Fast charging tops up the battery in minutes.',
      'Dual SIM with 5G on both Thai networks.',
    ],
  },
  {
    name: 'Laptops',
    slug: 'laptops',
    code: 'LAP',
    count: 500,
    sizeKind: 'none',
    noun: 'Laptop',
    formatName: laptopName,
    brands: [
      {
        name: 'Apple',
        code: 'APL',
        weight: 12,
        models: [
          ['MacBook Air 13 M3', 39900],
          ['MacBook Air 15 M3', 46900],
          ['MacBook Pro 14 M4', 59900],
          ['MacBook Pro 16 M4 Pro', 89900],
        ],
      },
      {
        name: 'Lenovo',
        code: 'LNV',
        weight: 14,
        models: [
          ['ThinkPad X1 Carbon Gen 12', 69900],
          ['IdeaPad Slim 5', 24990],
          ['Legion 5i', 45990],
          ['Yoga Slim 7i', 35990],
          ['ThinkPad E14', 27990],
          ['LOQ 15', 29990],
        ],
      },
      {
        name: 'Asus',
        code: 'ASU',
        weight: 14,
        models: [
          ['Zenbook 14 OLED', 32990],
          ['Vivobook 15', 17990],
          ['ROG Zephyrus G14', 59990],
          ['TUF Gaming A15', 29990],
          ['ROG Strix G16', 49990],
        ],
      },
      {
        name: 'Acer',
        code: 'ACR',
        weight: 10,
        models: [
          ['Swift Go 14', 25990],
          ['Aspire 5', 17990],
          ['Nitro V 15', 26990],
          ['Predator Helios Neo 16', 45990],
        ],
      },
      {
        name: 'HP',
        code: 'HPI',
        weight: 10,
        models: [
          ['Pavilion 15', 19990],
          ['Envy x360 14', 32990],
          ['Victus 15', 24990],
          ['EliteBook 840 G11', 49990],
        ],
      },
      {
        name: 'Dell',
        code: 'DEL',
        weight: 8,
        models: [
          ['XPS 13', 49990],
          ['Inspiron 14', 22990],
          ['Latitude 5440', 35990],
        ],
      },
      {
        name: 'MSI',
        code: 'MSI',
        weight: 6,
        models: [
          ['Modern 14', 15990],
          ['Katana 15', 32990],
          ['Thin GF63', 21990],
        ],
      },
      {
        name: 'Microsoft',
        code: 'MSF',
        weight: 4,
        models: [
          ['Surface Laptop 7', 44990],
          ['Surface Pro 11', 41990],
        ],
      },
      {
        name: 'Huawei',
        code: 'HWI',
        weight: 3,
        models: [
          ['MateBook D 16', 23990],
          ['MateBook 14', 32990],
        ],
      },
    ],
    editions: [
      ['8GB RAM 256GB SSD', 0.9],
      ['16GB RAM 512GB SSD', 1],
      ['16GB RAM 512GB SSD', 1],
      ['16GB RAM 1TB SSD', 1.15],
      ['32GB RAM 1TB SSD', 1.35],
    ],
    colours: ['Silver', 'Space Grey', 'Midnight', 'Starlight', 'Black', 'Grey', 'Blue', 'Platinum'],
    intros: [
      'The {brand} {model}: power for work, study and play.',
      'Get more done on the {brand} {model}.',
      '{brand} {model}, thin, light and ready for the coffee shop.',
    ],
    features: [
      'All-day battery life for long days away from a socket.',
      'A sharp, colour-accurate display for work and movies.',
      'A backlit keyboard with Thai and English keycaps.',
      'Wi-Fi 6E and USB-C charging.',
    ],
  },
  {
    name: 'Kitchen',
    slug: 'kitchen',
    code: 'KIT',
    count: 800,
    sizeKind: 'none',
    noun: '',
    formatName: itemName,
    brands: [
      {
        name: 'Tefal',
        code: 'TFL',
        weight: 14,
        models: [
          ['Ingenio Essential Cookware Set 10 pcs', 3990],
          ['Easy Fry Precision Air Fryer', 3290],
          ['Titanium Excellence Frying Pan 28 cm', 1290],
          ['So Chef Wok 28 cm', 990],
          ['Ultimate Pure Electric Kettle', 1590],
          ['Blendforce Blender', 1890],
        ],
      },
      {
        name: 'Philips',
        code: 'PHL',
        weight: 12,
        models: [
          ['Airfryer XXL', 8990],
          ['Airfryer 3000 Series', 2990],
          ['Blender 5000 Series', 2490],
          ['Rice Cooker 3000 Series', 1990],
          ['Espresso Machine 2200 Series', 15900],
        ],
      },
      {
        name: 'Zojirushi',
        code: 'ZJR',
        weight: 6,
        models: [
          ['Micom Rice Cooker NS-ZCC10', 9900],
          ['Stainless Vacuum Bottle 480 ml', 1290],
          ['Electric Water Boiler CD-NAQ30', 5900],
        ],
      },
      {
        name: 'Sharp',
        code: 'SHP',
        weight: 6,
        models: [
          ['Rice Cooker KS-R19ST', 1290],
          ['Microwave Oven R-2221G', 2590],
          ['Electric Kettle EKJ-17VS', 890],
        ],
      },
      {
        name: 'Otto',
        code: 'OTT',
        weight: 8,
        models: [
          ['Electric Kettle PT-105A', 390],
          ['Rice Cooker CR-110T', 590],
          ['Sandwich Maker SW-010', 490],
          ['Electric Grill Pan GR-160', 690],
        ],
      },
      {
        name: 'Imarflex',
        code: 'IMF',
        weight: 6,
        models: [
          ['Air Fryer IAF-445', 1990],
          ['Multi Cooker MP-18Q', 1290],
          ['Induction Cooker IF-401', 1190],
        ],
      },
      {
        name: 'Lock&Lock',
        code: 'LNL',
        weight: 8,
        models: [
          ['Food Container Set 12 pcs', 890],
          ['Vacuum Bottle 500 ml', 590],
          ['Glass Lunch Box', 390],
        ],
      },
      {
        name: 'Zebra',
        code: 'ZBR',
        weight: 8,
        models: [
          ['Stainless Steel Pot 24 cm', 990],
          ['Pinto Lunch Box 3 Tier', 690],
          ['Stainless Steel Wok 32 cm', 1190],
        ],
      },
      {
        name: 'KitchenAid',
        code: 'KAD',
        weight: 4,
        models: [
          ['Artisan Stand Mixer 5 Qt', 22900],
          ['Hand Blender', 3990],
        ],
      },
      {
        name: 'Xiaomi',
        code: 'XMI',
        weight: 5,
        models: [
          ['Smart Air Fryer 6L', 2990],
          ['Electric Kettle 2', 690],
        ],
      },
      {
        name: 'Electrolux',
        code: 'ELX',
        weight: 6,
        models: [
          ['UltimateTaste 500 Toaster', 1490],
          ['Explore 6 Hand Mixer', 1290],
          ['Create 5 Blender', 1990],
        ],
      },
    ],
    editions: [['', 1]],
    colours: ['', '', '', 'Black', 'White', 'Silver', 'Red', 'Mint Green', 'Cream'],
    intros: [
      'The {brand} {model} makes home cooking quicker and easier.',
      'Cook like a pro with the {brand} {model}.',
      '{brand} {model}: a kitchen helper you will use every day.',
    ],
    features: [
      'Easy to clean, with dishwasher-safe parts.',
      'Perfect for jasmine rice, curries and stir-fries.',
      'Energy efficient and safe, with automatic shut-off.',
      'A compact size that fits a condo kitchen.',
    ],
  },
  {
    name: 'Skincare',
    slug: 'skincare',
    code: 'SKN',
    count: 900,
    sizeKind: 'none',
    noun: '',
    formatName: itemName,
    brands: [
      {
        name: 'Sulwhasoo',
        code: 'SWS',
        weight: 6,
        models: [
          ['First Care Activating Serum 60 ml', 3900],
          ['Concentrated Ginseng Renewing Cream 50 ml', 9900],
          ['Gentle Cleansing Foam 200 ml', 1400],
        ],
      },
      {
        name: 'Laneige',
        code: 'LNG',
        weight: 10,
        models: [
          ['Water Sleeping Mask 70 ml', 1150],
          ['Lip Sleeping Mask Berry 20 g', 790],
          ['Cream Skin Toner 170 ml', 1350],
          ['Water Bank Blue Hyaluronic Cream 50 ml', 1650],
        ],
      },
      {
        name: 'Cosrx',
        code: 'CSX',
        weight: 10,
        models: [
          ['Advanced Snail 96 Mucin Power Essence 100 ml', 890],
          ['Low pH Good Morning Gel Cleanser 150 ml', 450],
          ['Acne Pimple Master Patch', 190],
          ['The Vitamin C 23 Serum', 790],
        ],
      },
      {
        name: 'Innisfree',
        code: 'INF',
        weight: 6,
        models: [
          ['Green Tea Seed Hyaluronic Serum 80 ml', 1090],
          ['Volcanic Pore Clay Mask 100 ml', 690],
        ],
      },
      {
        name: 'La Roche-Posay',
        code: 'LRP',
        weight: 10,
        models: [
          ['Anthelios UVMune 400 Invisible Fluid SPF50+ 50 ml', 990],
          ['Cicaplast Baume B5+ 40 ml', 590],
          ['Effaclar Duo+ 40 ml', 990],
          ['Toleriane Hydrating Gentle Cleanser 400 ml', 890],
        ],
      },
      {
        name: 'Cetaphil',
        code: 'CTP',
        weight: 8,
        models: [
          ['Gentle Skin Cleanser 500 ml', 690],
          ['Moisturising Cream 453 g', 890],
          ['Bright Healthy Radiance Serum 30 ml', 1290],
        ],
      },
      {
        name: 'Oriental Princess',
        code: 'ORP',
        weight: 8,
        models: [
          ['Beneficial Facial Cleanser 100 ml', 350],
          ['Story of Happiness Body Lotion 250 ml', 290],
          ['Natural Sunscreen Face SPF50 50 ml', 490],
        ],
      },
      {
        name: 'Mistine',
        code: 'MST',
        weight: 10,
        models: [
          ['Aqua Base Sunscreen SPF50 40 ml', 259],
          ['Acne Clear Facial Foam 85 g', 99],
          ['White Spa Body Lotion 200 ml', 169],
        ],
      },
      {
        name: 'Srichand',
        code: 'SRC',
        weight: 6,
        models: [
          ['Translucent Powder 10 g', 179],
          ['Bare to Perfect Powder 9 g', 259],
          ['Sunlution Sunscreen SPF50 40 ml', 290],
        ],
      },
      {
        name: 'Smooth E',
        code: 'SME',
        weight: 6,
        models: [
          ['Babyface Foam 4 oz', 299],
          ['Gold Perfect Cream 12 g', 390],
          ['Acne Hydrogel Plus 10 g', 290],
        ],
      },
      {
        name: 'Snail White',
        code: 'SNW',
        weight: 5,
        models: [
          ['Gold Snail Facial Cream 50 ml', 1590],
          ['Iceberry Facial Foam 100 ml', 290],
        ],
      },
      {
        name: 'Eucerin',
        code: 'EUC',
        weight: 6,
        models: [
          ['Sun Dry Touch Oil Control SPF50+ 50 ml', 890],
          ['Spotless Brightening Booster Serum 30 ml', 1890],
        ],
      },
      {
        name: 'Bioré',
        code: 'BIO',
        weight: 5,
        models: [
          ['UV Aqua Rich Watery Essence SPF50+ 50 g', 359],
          ['Pore Pack Nose Strips', 129],
        ],
      },
    ],
    editions: [
      ['', 1],
      ['', 1],
      ['', 1],
      ['Twin Pack', 1.8],
      ['Travel Size', 0.5],
    ],
    colours: [''],
    intros: [
      'The {brand} {model} is a favourite for healthy, glowing skin.',
      '{brand} {model}: gentle care for every skin type.',
      'Add the {brand} {model} to your morning and evening routine.',
    ],
    features: [
      'Dermatologically tested and suitable for sensitive skin.',
      'A light texture that absorbs quickly, even in humid weather.',
      'Free from parabens and added fragrance.',
      'Protects against sun, sweat and city pollution.',
    ],
  },
  {
    name: 'Sports Equipment',
    slug: 'sports-equipment',
    code: 'SPT',
    count: 700,
    sizeKind: 'none',
    noun: '',
    formatName: itemName,
    brands: [
      {
        name: 'Yonex',
        code: 'YNX',
        weight: 10,
        models: [
          ['Astrox 88D Pro Badminton Racket', 6900],
          ['Nanoflare 700 Badminton Racket', 5900],
          ['Aerosensa 30 Shuttlecocks 12 pcs', 890],
          ['Pro Racquet Bag 9 pcs', 2900],
        ],
      },
      {
        name: 'Wilson',
        code: 'WLS',
        weight: 8,
        models: [
          ['Pro Staff 97 v14 Tennis Racket', 8900],
          ['Evolution Basketball', 2590],
          ['US Open Tennis Balls 4 Pack', 390],
          ['NBA Authentic Series Basketball', 1590],
        ],
      },
      {
        name: 'Molten',
        code: 'MLT',
        weight: 8,
        models: [
          ['BG4500 Basketball', 1990],
          ['F5A3400 Football', 990],
          ['V5M4000 Volleyball', 1890],
        ],
      },
      {
        name: 'Mikasa',
        code: 'MKS',
        weight: 6,
        models: [
          ['V200W Volleyball', 2290],
          ['V330W Volleyball', 1190],
        ],
      },
      {
        name: 'FBT',
        code: 'FBT',
        weight: 10,
        models: [
          ['Takraw Ball', 390],
          ['PU Football Size 5', 590],
          ['Yoga Mat 6 mm', 490],
          ['Boxing Gloves 12 oz', 890],
          ['Dumbbell Set 10 kg', 990],
        ],
      },
      {
        name: 'Grand Sport',
        code: 'GSP',
        weight: 8,
        models: [
          ['Football Size 5', 690],
          ['Futsal Ball', 590],
          ['Jump Rope', 159],
          ['Shin Guards', 250],
        ],
      },
      {
        name: 'Li-Ning',
        code: 'LIN',
        weight: 6,
        models: [
          ['Aeronaut 9000 Badminton Racket', 6500],
          ['Windstorm 72 Badminton Racket', 2900],
        ],
      },
      {
        name: 'Victor',
        code: 'VCT',
        weight: 5,
        models: [
          ['Thruster K 9900 Badminton Racket', 5900],
          ['Master Ace Shuttlecocks 12 pcs', 790],
        ],
      },
      {
        name: 'Adidas',
        code: 'ADI',
        weight: 5,
        models: [
          ['Predator Training Goalkeeper Gloves', 1500],
          ['UCL League Football', 1300],
          ['Training Yoga Mat 8 mm', 1200],
        ],
      },
      {
        name: 'Nike',
        code: 'NIK',
        weight: 5,
        models: [
          ['Premier League Pitch Football', 990],
          ['Brasilia Training Duffel Bag', 1290],
        ],
      },
      {
        name: 'Manduka',
        code: 'MDK',
        weight: 4,
        models: [
          ['PRO Yoga Mat 6 mm', 4900],
          ['Begin Yoga Mat 5 mm', 2290],
        ],
      },
      {
        name: 'Twins Special',
        code: 'TWS',
        weight: 5,
        models: [
          ['BGVL3 Boxing Gloves 14 oz', 2490],
          ['Muay Thai Shorts', 890],
          ['SGL10 Shin Guards', 2690],
        ],
      },
      {
        name: 'Fairtex',
        code: 'FTX',
        weight: 5,
        models: [
          ['BGV1 Boxing Gloves 12 oz', 2390],
          ['HB6 Muay Thai Banana Bag', 6900],
          ['HW2 Hand Wraps', 290],
        ],
      },
    ],
    editions: [['', 1]],
    colours: ['', '', '', 'Black', 'White', 'Red', 'Blue', 'Yellow'],
    intros: [
      'Train harder with the {brand} {model}.',
      'The {brand} {model}, trusted by clubs and weekend players.',
      '{brand} {model}: built for practice, match day and everything between.',
    ],
    features: [
      'Tournament quality at a club price.',
      'Durable materials stand up to daily training.',
      'Approved for competition play.',
      'Great for the park, the gym or the beach in Hua Hin.',
    ],
  },
  {
    name: 'Toys',
    slug: 'toys',
    code: 'TOY',
    count: 700,
    sizeKind: 'none',
    noun: '',
    formatName: itemName,
    brands: [
      {
        name: 'Lego',
        code: 'LGO',
        weight: 14,
        models: [
          ['Technic Bugatti Bolide 42151', 1990],
          ['City Fire Station 60414', 3290],
          ['Creator 3in1 Space Astronaut 31062', 1290],
          ['Star Wars X-Wing Starfighter 75355', 7990],
          ['Friends Heartlake City Cafe 42618', 790],
          ['Icons Orchid 10311', 1990],
        ],
      },
      {
        name: 'PlanToys',
        code: 'PLT',
        weight: 10,
        models: [
          ['Wooden Stacking Ring', 590],
          ['Balance Board', 1890],
          ['Wooden Dollhouse', 4900],
          ['Rainbow Blocks', 990],
          ['Shape and Sort It Out', 790],
        ],
      },
      {
        name: 'Bandai',
        code: 'BND',
        weight: 8,
        models: [
          ['Gundam HG RX-78-2 Model Kit', 690],
          ['Gundam MG Strike Freedom Model Kit', 2490],
          ['Tamagotchi Uni', 1990],
        ],
      },
      {
        name: 'Hot Wheels',
        code: 'HWL',
        weight: 8,
        models: [
          ['5-Car Pack', 299],
          ['Track Builder Unlimited Set', 1290],
          ['Monster Trucks Arena Smashers', 1590],
        ],
      },
      {
        name: 'Barbie',
        code: 'BRB',
        weight: 6,
        models: [
          ['Dreamhouse', 7990],
          ['Fashionistas Doll', 490],
          ['Careers Doctor Doll', 690],
        ],
      },
      {
        name: 'Tamiya',
        code: 'TMY',
        weight: 5,
        models: [
          ['Mini 4WD Starter Pack', 790],
          ['Mini 4WD Avante', 490],
        ],
      },
      {
        name: 'Pop Mart',
        code: 'PMT',
        weight: 10,
        models: [
          ['Labubu The Monsters Blind Box', 590],
          ['Crybaby Crying Again Blind Box', 550],
          ['Skullpanda Blind Box', 450],
          ['Hirono Blind Box', 450],
        ],
      },
      {
        name: "Rubik's",
        code: 'RBC',
        weight: 4,
        models: [
          ['Cube 3x3', 390],
          ['Speed Cube', 590],
        ],
      },
      {
        name: 'Nerf',
        code: 'NRF',
        weight: 5,
        models: [
          ['Elite Commander RD-6 Blaster', 790],
          ['Fortnite Blaster', 1290],
        ],
      },
      {
        name: 'Sylvanian Families',
        code: 'SYF',
        weight: 5,
        models: [
          ['Cozy Cottage Starter Home', 1590],
          ['Chocolate Rabbit Family', 990],
        ],
      },
      {
        name: 'Fisher-Price',
        code: 'FSP',
        weight: 5,
        models: [
          ['Laugh and Learn Smart Stages Puppy', 990],
          ['Rock-a-Stack', 290],
        ],
      },
    ],
    editions: [['', 1]],
    colours: [''],
    intros: [
      'Hours of fun with the {brand} {model}.',
      'The {brand} {model}: a gift children love and parents trust.',
      '{brand} {model}, for playtime at home and on holiday.',
    ],
    features: [
      'Safe, non-toxic materials tested to international standards.',
      'Builds creativity, problem solving and fine motor skills.',
      'A great birthday or New Year gift.',
      'Collect them all and trade with friends.',
    ],
  },
  {
    name: 'Books',
    slug: 'books',
    code: 'BOK',
    count: 800,
    sizeKind: 'none',
    noun: '',
    // Book "models" are made by the generator (titles), so the publishers list none.
    formatName: ({ model, edition }: NameParts): string => `${model} (${edition})`,
    brands: [
      { name: 'Penguin', code: 'PEN', weight: 12, models: [] },
      { name: 'HarperCollins', code: 'HPC', weight: 10, models: [] },
      { name: 'Bloomsbury', code: 'BLM', weight: 6, models: [] },
      { name: "O'Reilly", code: 'ORL', weight: 6, models: [] },
      { name: 'Nanmeebooks', code: 'NMB', weight: 10, models: [] },
      { name: 'Amarin', code: 'AMR', weight: 10, models: [] },
      { name: 'SE-ED', code: 'SED', weight: 8, models: [] },
      { name: 'Matichon', code: 'MTC', weight: 6, models: [] },
      { name: 'Silkworm Books', code: 'SWB', weight: 5, models: [] },
    ],
    editions: [
      ['Paperback', 1],
      ['Paperback', 1],
      ['Paperback', 1],
      ['Hardcover', 1.6],
    ],
    colours: [''],
    intros: ['{model}, published by {brand}.', 'From {brand}: {model}.', '{model} ({brand}).'],
    features: [
      'A page-turner you will not put down.',
      'Praised by readers and critics alike.',
      'A perfect companion for a long flight or a rainy afternoon.',
      'Now in a new edition with a foreword by the author.',
    ],
  },
];

/** Book titles: fiction from these word pools, non-fiction and technical titles from the lists below. */
export const BOOK_TITLE_WORDS = {
  adjectives: [
    'Silent',
    'Hidden',
    'Last',
    'Golden',
    'Midnight',
    'Forgotten',
    'Little',
    'Secret',
    'Lost',
    'Broken',
    'Endless',
    'Quiet',
    'Painted',
    'Floating',
  ],
  nouns: [
    'River',
    'Garden',
    'Temple',
    'Monsoon',
    'Harbour',
    'Kingdom',
    'Letter',
    'Island',
    'Orchid',
    'Lantern',
    'Market',
    'Elephant',
    'Tide',
    'Mango Tree',
  ],
  genres: ['A Novel', 'A Thai Mystery', 'Stories', 'A Family Saga', 'A Romance'],
} as const;

export const NON_FICTION_TITLES: readonly (readonly [title: string, baht: number])[] = [
  ['A Short History of Siam', 495],
  ['Thai Street Food at Home', 650],
  ['Bangkok: A Travel Guide', 450],
  ['Speak Thai in 30 Days', 325],
  ['The Art of Saving Money', 295],
  ['Mindful Mornings', 285],
  ['Raising Happy Children', 320],
  ['The Little Book of Investing', 350],
  ['Gardening in the Tropics', 395],
  ['Muay Thai for Beginners', 375],
];

export const TECH_TITLES: readonly (readonly [title: string, baht: number])[] = [
  ['Learning TypeScript', 1890],
  ['Building Microservices in Practice', 2190],
  ['PostgreSQL Up and Running', 1790],
  ['Designing Event-Driven Systems', 2090],
  ['Node.js Design Patterns', 1990],
  ['Practical Full-Text Search', 1690],
];

export const AUTHOR_NAMES = {
  first: [
    'Ploy',
    'Somchai',
    'Anong',
    'Krit',
    'Malee',
    'Niran',
    'Sarah',
    'James',
    'Emily',
    'David',
    'Kanya',
    'Thanawat',
  ],
  last: ['Srisuk', 'Chaiyaporn', 'Wongsawat', 'Rattanakorn', 'Bunnag', 'Smith', 'Taylor', 'Brown', 'Tanaka', 'Lee'],
} as const;

/** Description closers that any product may have. Placeholder {brand}. */
export const CLOSERS: readonly string[] = [
  'Official {brand} product with a genuine warranty in Thailand.',
  'Ships from our Bangkok warehouse within 24 hours.',
  'Free delivery across Thailand on orders over 500 baht.',
  'Easy returns within 30 days.',
  'Pay by card or at a counter service near you.',
];
