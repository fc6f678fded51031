/**
 * Given names and the short forms people register under, for smart search ("Bill" finds William).
 * Written for the project from common English and Spanish usage; no npm package keeps such a table
 * well. Each line: the formal name, then its short forms. A short form may belong to several names
 * (Alex: Alexander, Alexandra), and search tries them all.
 */
const table = `
abigail abby abbie gail
alexander alex al xander sasha
alexandra alex alexa sandra sasha lexi
alfredo fredo freddy
alberto beto al
alejandro alex ale jando
andrew andy drew
anthony tony ant
antonio tony tono
barbara barb babs
benjamin ben benny benji
catherine cathy kate katie cat kathy
katherine kathy kate katie kat
christopher chris topher kit
christina chris tina christy
daniel dan danny
david dave davey
deborah debbie deb
donald don donny
dorothy dot dottie
edward ed eddie ted ned
elizabeth liz beth betty lizzie eliza libby betsy
emily em emmy
eugene gene
francisco paco pancho frank cisco
frances fran frankie
francis frank fran
frederick fred freddy
gabriel gabe
gregory greg
guadalupe lupe lupita
guillermo memo willy
henry hank harry
isabel isa bela chabela
jacob jake
james jim jimmy jamie
jennifer jen jenny
jesus chuy
john jack johnny jon
jonathan jon john jonny
jose pepe chepe
joseph joe joey
joshua josh
josephine jo josie
katelyn kate katie
lawrence larry
leonard leo lenny
manuel manny manolo
margaret maggie meg peggy marge
maria mari mary
mary molly polly mae
matthew matt
michael mike mikey mick
nathaniel nate nathan
nicholas nick nicky
patricia pat patty trish tricia
patrick pat paddy
peter pete
rafael rafa
ralph
raymond ray
rebecca becky becca
richard rick dick rich ricky
robert bob bobby rob robbie bert
roberto beto rob
ronald ron ronnie
samuel sam sammy
samantha sam sammy
stephen steve
steven steve
susan sue susie
theodore ted teddy theo
thomas tom tommy
timothy tim timmy
victoria vicky tori
vincent vince vinny
william bill billy will willy liam
zachary zach zack
`;

const formal = new Map<string, string[]>();
for (const line of table.trim().split('\n')) {
  const names = line.trim().split(/\s+/);
  for (const name of names) formal.set(name, [...new Set([...(formal.get(name) ?? []), names[0]!])]);
}

/**
 * The formal names a given name may stand for (folded: lower case, a–z): "bill" → william,
 * "alex" → alexander, alexandra, alejandro; a name the table does not know stands for itself.
 */
export function formalNames(folded: string): string[] {
  return formal.get(folded) ?? [folded];
}
